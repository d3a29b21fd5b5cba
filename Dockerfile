# Newsroom production image: gunicorn serving the Django app, whitenoise serving static files.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production

WORKDIR /app

COPY pyproject.toml README.md ./
COPY newsroom ./newsroom
COPY articles ./articles
COPY authors ./authors
RUN pip install .

COPY . .

# collectstatic needs settings to import; these throw-away values exist only during the build.
RUN DJANGO_SECRET_KEY=build-only-secret-key-not-used-at-run-time-0123456789abcdef \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app newsroom \
    && mkdir -p /app/media \
    && chown -R newsroom /app/media
USER newsroom

EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
