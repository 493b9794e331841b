"""Tell volunteers that questions are waiting, and keep the reply-time promise to parents (issue 14 parts 1-2)."""
