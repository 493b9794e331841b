"""A conversation's thread: the live topic, follow-ups read against it, close calls, forms only on request."""
