# Weaver's image: one image for the web app (gunicorn), the scheduler and migrations.

FROM node:20-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/assets web/assets
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    WEAVER_INSTANCE_PATH=/var/lib/weaver
WORKDIR /app
COPY pyproject.toml README.md ./
COPY crm crm
COPY collectors collectors
COPY web web
COPY --from=assets /src/web/static/build web/static/build
RUN pip install --no-cache-dir '.[production]' \
    && useradd --system --home-dir /var/lib/weaver weaver \
    && mkdir -p /var/lib/weaver && chown weaver /var/lib/weaver
USER weaver
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "web.access_log.AccessLogger", "web.wsgi:app"]
