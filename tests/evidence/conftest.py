"""Fixtures for the evidence report: the dashboard as served, with accounts (shared with tests/review)."""

from __future__ import annotations

import datetime as dt

from tests.review.conftest import (auth, client, ctx, hasher, knowledge_base, make_auth, make_client, people,  # noqa: F401
                                   review_app, review_settings)

TODAY = dt.date(2026, 11, 20)
