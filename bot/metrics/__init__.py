"""Prometheus metrics and health checks for every process (bot/metrics/server.py serves them).

Labels only ever hold fixed, short vocabularies: a channel name, an outcome,
a route template, an action name from the assistant's own list, a table
name. Never message text, a conversation id or anything a parent typed.
"""
