FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango and HarfBuzz-subset; fonts-noto-cjk gives real Chinese glyphs in PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DJANGO_ENV=production
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only-collectstatic-key-000000000000000000000000 python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 jiefen && mkdir -p /app/var/media && chown -R jiefen /app/var
USER jiefen
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
