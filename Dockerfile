# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# gettext compiles the translations; pango/harfbuzz and fonts are what WeasyPrint needs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 lob
WORKDIR /app

# Exact versions from the lock file (make lock) first, so this layer is cached until it changes.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .
# deduce's name lookups are built into the image: the app user cannot write site-packages.
RUN pip install --no-deps -e . \
 && DEBUG=0 SECRET_KEY=build-only-not-secret-but-long-enough-for-the-build-step-1234 \
    python manage.py compilemessages -v0 \
 && DEBUG=0 SECRET_KEY=build-only-not-secret-but-long-enough-for-the-build-step-1234 \
    python manage.py collectstatic --noinput -v0 \
 && DEBUG=0 SECRET_KEY=build-only-not-secret-but-long-enough-for-the-build-step-1234 \
    python manage.py shell -v0 -c "from research.pseudonymise import get_deduce; get_deduce()" \
 && python -m lobtraject.whisper_model \
 && mkdir -p /data/media && chown -R lob:lob /data

USER lob
ENV DEBUG=0 MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["gunicorn", "lobtraject.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
