import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off (as production) but without collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
