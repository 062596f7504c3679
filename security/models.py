"""No models. The module is here so that Django sends this app its post_migrate signal (it does
only for apps with a models module): security/apps.py runs `security.database` on it."""
