# Action server: the official rasa-sdk image plus what bot/ needs (versions from constraints.txt).
# The project itself is mounted at run time (docker-compose.yml), not copied in.
FROM rasa/rasa-sdk:3.6.2
USER root
COPY constraints.txt /tmp/constraints.txt
RUN pip install --no-cache-dir -c /tmp/constraints.txt \
      SQLAlchemy alembic PyYAML psycopg2-binary holidays dateparser python-docx icalendar prometheus-client \
 && rm /tmp/constraints.txt
# No usage data to Rasa Inc. from any process in this image.
ENV RASA_TELEMETRY_ENABLED=false
USER 1001
