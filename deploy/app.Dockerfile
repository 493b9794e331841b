# Web proxy and Telegram bridge: the official Rasa image (Python 3.10 with Rasa's own pins) plus the
# channel packages from requirements.txt, so they run with exactly the versions `make install` uses.
FROM rasa/rasa:3.6.21-full
USER root
COPY requirements.txt constraints.txt /tmp/
RUN pip install --no-cache-dir -r /tmp/requirements.txt -c /tmp/constraints.txt \
 && rm /tmp/requirements.txt /tmp/constraints.txt
# No usage data to Rasa Inc. from any process in this image.
ENV RASA_TELEMETRY_ENABLED=false
USER 1001
ENTRYPOINT []
