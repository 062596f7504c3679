# Burgerkracht production image: one image for web (gunicorn), worker and beat (Celery).
# Built and run by docker-compose.yml; see docs/production.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    IGNORE_DOTENV=1 \
    WEB_CONCURRENCY=3

# WeasyPrint's native libraries (Pango, HarfBuzz subsetting; GLib, fontconfig and FreeType come
# with them) and a font. Pillow, cffi and psycopg2-binary bring their own libraries in the wheels.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The app runs as an unprivileged user. It owns only the media folder; the code is read-only.
# The home folder holds gunicorn's control socket (~/.gunicorn).
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /home/app --create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app

COPY requirements.txt requirements-nodeps.txt ./
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir --no-deps --require-hashes -r requirements-nodeps.txt

COPY . .

# Message catalogues (.mo files are not in git), then the static files for WhiteNoise. Settings
# refuse to load without SECRET_KEY when DEBUG is off: a throwaway key for this step only, never
# an ENV, so it is not in the running containers.
RUN pybabel compile --domain django --directory locale \
    && test -f locale/nl/LC_MESSAGES/django.mo \
    && test -f locale/en/LC_MESSAGES/django.mo \
    && DEBUG=0 SECRET_KEY=build-time-only-collectstatic-key-not-used-at-runtime \
        python manage.py collectstatic --no-input \
    && mkdir -p /app/media \
    && chown app:app /app/media

# A new named volume is seeded from this folder, so it starts out owned by `app`.
VOLUME ["/app/media"]

USER app

EXPOSE 8000

# Workers: WEB_CONCURRENCY (default 3 above); more options through GUNICORN_CMD_ARGS.
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-class", "gthread", "--threads", "2", \
     "--timeout", "60", "--graceful-timeout", "30", "--keep-alive", "5", \
     "--max-requests", "1000", "--max-requests-jitter", "100", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", "--error-logfile", "-"]
