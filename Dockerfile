FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=iscm_portal.settings.production
# gunicorn reads WEB_CONCURRENCY as its number of workers; each keeps one database connection (README).
ENV WEB_CONCURRENCY=3
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core libmagic1 nodejs npm \
      postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN pip install --no-cache-dir . \
    && SECRET_KEY=build ALLOWED_HOSTS=localhost EMAIL_URL=consolemail:// python manage.py collectstatic --noinput
RUN useradd --create-home portal && mkdir -p /data/media /data/backups && chown portal /data/media /data/backups
USER portal
EXPOSE 8000
CMD ["gunicorn", "iscm_portal.wsgi", "--bind", "0.0.0.0:8000"]
