# Every process except Rasa: the action server (current rasa-sdk), the web app, the volunteer
# dashboard, the Telegram bridge, the purge job and `python -m bot db upgrade`. A current slim
# Python image with the run-time packages of requirements/services.txt, at the versions of
# requirements/services.lock (the lock `make install` uses); no development tools.
# Rasa itself runs from the official rasa/rasa:3.6.21-full image (docker-compose.yml).
# Rebuild it regularly (docker compose build --pull) to pick up Debian and Python patch releases.
FROM python:3.13-slim
COPY requirements/services.txt requirements/services.lock /tmp/requirements/
RUN pip install --no-cache-dir -r /tmp/requirements/services.txt -c /tmp/requirements/services.lock \
 && rm -r /tmp/requirements \
 && useradd --uid 1001 --no-create-home --shell /usr/sbin/nologin sendnav
# No usage data to Rasa Inc. from any process in this image (rasa-sdk reads it too).
ENV RASA_TELEMETRY_ENABLED=false PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
USER 1001
