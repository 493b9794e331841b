"""Every table of the project, registered in one place.

Models live beside their repositories (bot/store/*.py) and join the
declarative Base when their module is imported. Importing this module imports
all of them, so `metadata` holds every table whatever else was imported
first. Alembic's env.py and the meta-tests read it; a new model module must
be added to MODEL_MODULES (tests/store/test_registry.py fails until it is).
"""

from __future__ import annotations

from sqlalchemy import MetaData

from bot.store import (account_links, audit, buttons, escalations, evidence, models, notices, parent_notices,
                       reminders, telegram_routes, unanswered_groups, volunteers, web_sessions)

MODEL_MODULES = (models, escalations, buttons, reminders, telegram_routes, volunteers, account_links, audit, web_sessions,
                 evidence, unanswered_groups, notices, parent_notices)

metadata: MetaData = models.Base.metadata
