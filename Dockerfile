# One image for web, worker, beat and the migrate job (docker-compose.yml picks the command).
# Front-end libraries come from the npm lockfile; static files are collected at build time and served by
# whitenoise from gunicorn.

FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OFFICE_VAR_DIR=/var/lib/office \
    MEDIA_ROOT=/var/lib/office/media \
    STATIC_ROOT=/app/staticfiles
WORKDIR /app
# pg_dump/pg_restore for manage.py backup/restore (the client's major version matches the compose file's
# PostgreSQL 15), LibreOffice Writer for the documents' PDF, and the free stand-in fonts (README).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client libreoffice-writer \
        fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /home/office --shell /usr/sbin/nologin office

# Dependencies first (pinned in pyproject.toml) so code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
COPY --from=assets /app/node_modules ./node_modules
# A throw-away key only for collectstatic; the containers get the real one from the environment.
RUN SECRET_KEY=collectstatic-only-not-a-secret OFFICE_VAR_DIR=/tmp/build-var \
        python manage.py collectstatic --noinput -v 0 \
    && rm -rf /tmp/build-var \
    && mkdir -p /var/lib/office/media /var/lib/office-backups \
    && chown -R office:office /var/lib/office /var/lib/office-backups

USER office
VOLUME ["/var/lib/office"]
EXPOSE 8000
CMD ["gunicorn", "office.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", \
     "--no-control-socket", "--access-logfile", "-"]
