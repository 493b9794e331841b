"""Show that a burst of escalations becomes digests, not a flood (`python bench/notify_burst.py`).

500 questions arrive over about a minute while the notifier ticks every 10
simulated seconds, then it keeps ticking for an hour of simulated time.
Three volunteers on duty chose email and Telegram; the SMTP server is a real
aiosmtpd on 127.0.0.1 (STARTTLS and a login) and the group a fake Bot API.
Prints how many notices each recipient got, the shortest gap between two of
them, and that every question was told exactly once. Nothing is asserted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.notify.mail import Mailer  # noqa: E402
from bot.notify.rota import Preference  # noqa: E402
from bot.notify.telegram_group import TelegramGroup  # noqa: E402
from bot.notify.worker import Notifier  # noqa: E402
from bot.store import EscalationRepository, make_engine, make_session_factory  # noqa: E402
from bot.store.notices import Notice, NoticeRepository  # noqa: E402
from bot.store.volunteers import VolunteerRepository  # noqa: E402
from tests.helpers.fake_telegram import TOKEN, FakeTelegram  # noqa: E402
from tests.helpers.smtp import SmtpServer  # noqa: E402

BURST, INTERVAL_MINUTES, TICK_SECONDS = 500, 15, 10
ALWAYS = Preference(channel="both", days=frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"}), on_from=0, on_until=0)


async def main() -> None:
    """Run the burst and print the figures."""
    folder = Path(tempfile.mkdtemp(prefix="notify-burst-"))
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    sessions = make_session_factory(engine)
    notices, volunteers, escalations = NoticeRepository(sessions), VolunteerRepository(sessions), EscalationRepository(sessions)
    for name in ("val", "sam", "cora"):
        notices.save_preference(volunteers.add(f"{name}@example.org", name, "volunteer", "h"), ALWAYS)
    smtp, telegram = SmtpServer(folder).start(), FakeTelegram().start()
    now = [dt.datetime(2026, 11, 30, 12, 0)]
    worker = Notifier(notices=notices, volunteers=volunteers, topic_title=lambda t: str(t), review_url="https://x/review",
                      interval=dt.timedelta(minutes=INTERVAL_MINUTES),
                      mailer=Mailer(smtp.url(), "v@example.org", 5, smtp.client_tls()),
                      group=TelegramGroup(TOKEN, -100, telegram.base_url), clock=lambda: now[0])
    started = time.monotonic()
    for i in range(BURST):  # about 8 questions per simulated second: the burst lasts a minute
        escalations.create(f"burst-{i}", "widget", {"turns": ["(bench)"]}, now[0], topic="mediation")
        if i % 80 == 79:
            now[0] += dt.timedelta(seconds=TICK_SECONDS)
            await worker.tick()
    for _ in range(6 * 60):  # an hour of ticks after the burst
        now[0] += dt.timedelta(seconds=TICK_SECONDS)
        await worker.tick()
    elapsed = time.monotonic() - started
    worker.close()
    with sessions() as session:
        rows = list(session.query(Notice).order_by(Notice.id))
    by_recipient = defaultdict(list)
    for row in rows:
        by_recipient[row.recipient].append(row)
    print(f"{BURST} escalations in a burst, interval {INTERVAL_MINUTES} min, 3 volunteers + the group; {elapsed:.1f} s")
    print(f"emails received by the SMTP server: {len(smtp.messages)}; group messages: {len(telegram.calls_to('sendMessage'))}")
    for recipient, sent in sorted(by_recipient.items()):
        gaps = [(b.created_at - a.created_at).total_seconds() / 60 for a, b in zip(sent, sent[1:])]
        told = [i for n in sent for i in n.escalation_ids]
        print(f"  {recipient:12} notices {len(sent)}, shortest gap {min(gaps) if gaps else '-'} min, "
              f"questions told {len(told)} (distinct {len(set(told))}), all sent: {all(n.sent_at for n in sent)}")
    smtp.stop()
    telegram.stop()
    engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
