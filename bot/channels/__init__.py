"""Channels in front of the assistant: the Rasa REST client, Telegram and the web widget."""
