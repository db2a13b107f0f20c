# Birge in a container: slim Python, a non-root user, the database on a volume.
#   docker build -t birge .
#   docker run -d --name birge -e BOT_TOKEN=... -e ADMIN_IDS=... -v birge-data:/data birge
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 birge \
    && mkdir /data && chown birge:birge /data

COPY pyproject.toml README.md alembic.ini babel.cfg ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY emulator ./emulator
COPY locales ./locales
# Editable install keeps locales/ next to the code; catalogs are compiled at build time
# because the running user cannot write into /app.
RUN pip install -e ".[scale]" && python -m bot.catalogs compile

USER birge
ENV DATABASE_URL=sqlite+aiosqlite:////data/birge.db
VOLUME ["/data"]
CMD ["birge", "run"]
