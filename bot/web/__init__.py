"""Starlette app: the chat widget's assets, pages and its proxy API to Rasa."""
