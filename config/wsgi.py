import os

from django.core.wsgi import get_wsgi_application

from config import collector, warmup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
warmup.warm()  # URLs, translations and templates loaded before the first request
collector.settle()  # after loading: see config/collector.py
