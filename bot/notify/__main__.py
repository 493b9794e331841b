"""Entry point for `python -m bot.notify`: tell volunteers about waiting questions and keep the reply promise."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
from typing import List, Optional

from bot.knowledge.entries import id_for_intent, load_kb
from bot.notify.mail import Mailer
from bot.notify.promise import Promise
from bot.notify.telegram_group import TelegramGroup
from bot.notify.worker import POLL_SECONDS, Notifier
from bot.settings import Settings, load_settings
from bot.store import make_engine, make_session_factory
from bot.store.notices import NoticeRepository
from bot.store.parent_notices import ParentNoticeRepository
from bot.store.volunteers import VolunteerRepository

log = logging.getLogger("bot.notify")


def build_notifier(settings: Settings) -> Notifier:
    """Connect the notifier to the database and to the channels the settings name."""
    sessions = make_session_factory(make_engine(settings.database_url))
    kb = load_kb(settings.knowledge_dir, settings.area, stale_days=settings.kb_stale_days)

    def topic_title(topic: Optional[str]) -> str:
        entry = kb.get(id_for_intent(topic or "") or (topic or ""))  # a knowledge id, or an ask_* intent
        return entry.title if entry else "topic not known"

    mailer = Mailer(settings.smtp_url, settings.smtp_from, settings.smtp_timeout) if settings.smtp_url else None
    group = (TelegramGroup(settings.telegram_token, settings.volunteer_group_id, settings.telegram_api_base_url)
             if settings.volunteer_group_id and settings.telegram_token else None)
    interval = dt.timedelta(minutes=settings.notify_interval_minutes)
    notices = NoticeRepository(sessions)
    promise = Promise(notices=notices, parents=ParentNoticeRepository(sessions), hours=settings.reply_promise_hours,
                      topic_title=topic_title, review_url=settings.review_url, interval=interval,
                      email=mailer is not None, group=group is not None)
    return Notifier(
        notices=notices, volunteers=VolunteerRepository(sessions), topic_title=topic_title,
        review_url=settings.review_url, interval=interval, mailer=mailer, group=group, promise=promise,
    )


def main(argv: Optional[List[str]] = None) -> None:
    """Run the notifier until stopped."""
    parser = argparse.ArgumentParser(prog="python -m bot.notify", description=__doc__)
    parser.add_argument("--poll", type=float, default=POLL_SECONDS, help="seconds between looks (default %(default)s)")
    args = parser.parse_args(argv)
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    notifier = build_notifier(settings)
    log.info("notifier started: email %s, Telegram group %s", "on" if notifier.mailer else "off",
             "on" if notifier.group else "off")
    try:
        asyncio.run(notifier.run(args.poll))
    except KeyboardInterrupt:
        pass
    finally:
        notifier.close()


if __name__ == "__main__":
    main()
