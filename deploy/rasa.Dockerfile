# Rasa only: the official Rasa 3.6.21 image (Python 3.10), plus what components/ needs beyond Rasa's
# own dependencies (requirements/rasa.txt: holidays), at requirements/rasa.lock's versions. Nothing else
# runs on it. Pull it again (docker compose build --pull) when Rasa republishes the image.
FROM rasa/rasa:3.6.21-full
USER root
COPY requirements/rasa.txt requirements/rasa.lock /tmp/requirements/
RUN pip install --no-cache-dir -r /tmp/requirements/rasa.txt -c /tmp/requirements/rasa.lock && rm -r /tmp/requirements
# No usage data to Rasa Inc.
ENV RASA_TELEMETRY_ENABLED=false
USER 1001
