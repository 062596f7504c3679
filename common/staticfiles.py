"""The static files storage of production: WhiteNoise's compressed manifest storage, with each
file's URL worked out once per process.

The manifest (the hashed name of every file) is read once when the process starts and does not
change while it runs, yet Django looks a name up, quotes it and joins it to STATIC_URL anew for
every `{% static %}` of every page (six on each page of the layout). The URL of a name found in
the manifest is kept; a name not in it still raises every time, as in Django.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

# Names come from our templates and settings; the cap only guards against a template that
# would pass visitor input to `{% static %}`.
MAX_KEPT = 4096


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept_urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._kept_urls[name]
        except KeyError:
            url = super().url(name)
            if len(self._kept_urls) < MAX_KEPT:
                self._kept_urls[name] = url
            return url
