"""Thin rasa_sdk adapters: read the tracker, call bot/, return events."""
