"""Drive messages full of personal details through every form and every channel, then search every file.

    .venv/bin/python bench/pii_sweep.py [--samples 200]

Starts the whole assistant as `python -m bot run` does (action server, Rasa,
web proxy, and the Telegram bridge against the fake Bot API of
tests/helpers/fake_telegram.py) in a fresh data folder. Each sample is one
parent's details (email, UK mobile, NHS number with a valid check digit,
date of birth after a cue, postcode, a child's name after a cue) sent
through one flow of tests/helpers/pii_flows.py (every form step, the
unanswered log, a question to volunteers, a crisis message), on one channel:
Rasa's REST channel, the widget proxy, or Telegram. Samples cycle through
every flow on every channel. Then the raw bytes of every file in the data
folder (both databases with -wal and -shm, logs, spool) are searched for
every detail of every sample, while the services still run (the newest
pages are then in the -wal files) and again after they stop. Prints "0 unredacted items across N samples"
or each leak.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from itertools import count
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.channels.rasa_client import as_text  # noqa: E402
from bot.ops.runner import Supervisor, assistant_services, channel_services, prepare_backends  # noqa: E402
from bot.ops.training import ensure_model  # noqa: E402
from bot.safety.shared_secret import secret_headers  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from tests.helpers.crash import HIGH_LIMITS  # noqa: E402
from tests.helpers.fake_telegram import TOKEN, FakeTelegram  # noqa: E402
from tests.helpers.pii import Sample, leaks, samples, stored_files  # noqa: E402
from tests.helpers.pii_flows import FLOWS  # noqa: E402
from tests.helpers.rest import free_port, new_sender  # noqa: E402
from tests.helpers.widget_client import Parent  # noqa: E402

CHATS = count(880_001)
QUIET = 0.6  # seconds with no new Telegram message before the bridge counts as done with a turn


def rest(settings: Settings) -> Callable[[List[str]], None]:
    """Return a sender of one conversation straight to Rasa's REST channel."""
    def run(messages: List[str]) -> None:
        sender = new_sender()
        for message in messages:
            body = {"sender": sender, "message": as_text(message), "metadata": {"channel": "rest"}}
            requests.post(f"{settings.rasa_url}/webhooks/rest/webhook", json=body,
                          headers=secret_headers(settings.actions_secret), timeout=60).raise_for_status()
    return run


def widget(settings: Settings) -> Callable[[List[str]], None]:
    """Return a sender of one conversation through the widget proxy."""
    def run(messages: List[str]) -> None:
        parent = Parent(f"http://{settings.web_host}:{settings.web_port}").start()
        for message in messages:
            if parent.say(message).status != 200:
                raise RuntimeError("the widget proxy refused a message")
    return run


def telegram(fake: FakeTelegram) -> Callable[[List[str]], None]:
    """Return a sender of one conversation through the Telegram bridge, one turn at a time."""
    async def turn(chat_id: int, message: str) -> None:
        before = len(fake.messages_to(chat_id))
        fake.push_text(chat_id, message)
        await fake.wait_for_messages(chat_id, before + 1, timeout=90)
        seen, quiet_since = len(fake.messages_to(chat_id)), time.monotonic()
        while time.monotonic() - quiet_since < QUIET:
            await asyncio.sleep(0.1)
            if len(fake.messages_to(chat_id)) != seen:
                seen, quiet_since = len(fake.messages_to(chat_id)), time.monotonic()

    def run(messages: List[str]) -> None:
        chat_id = next(CHATS)
        for message in messages:
            asyncio.run(turn(chat_id, message))
    return run


def sweep(settings: Settings, fake: FakeTelegram, all_samples: List[Sample]) -> Dict[Tuple[str, str], int]:
    """Send every sample through its flow and channel; return how many went through each pair."""
    channels = {"rest": rest(settings), "widget": widget(settings), "telegram": telegram(fake)}
    flows, names = list(FLOWS.items()), list(channels)
    done: Dict[Tuple[str, str], int] = {}
    for i, sample in enumerate(all_samples):
        flow_name, flow = flows[i % len(flows)]
        channel = names[(i // len(flows)) % len(names)]
        channels[channel](flow(sample))
        done[(flow_name, channel)] = done.get((flow_name, channel), 0) + 1
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    fake = FakeTelegram().start()
    data_dir = Path(tempfile.mkdtemp(prefix="pii-sweep-"))
    settings = load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(data_dir), "SEND_NAV_RASA_PORT": str(free_port()),
        "SEND_NAV_ACTIONS_PORT": str(free_port()), "SEND_NAV_WEB_PORT": str(free_port()),
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url, **HIGH_LIMITS,
    })
    prepare_backends(settings)
    supervisor = Supervisor(assistant_services(settings, ensure_model(ROOT)) + channel_services(settings),
                            settings.data_dir / "logs")
    supervisor.start(timeout=300, progress=False)
    started = time.monotonic()
    all_samples = samples(args.samples, seed=2026)
    needles = [(k, v) for s in all_samples for k, v in s.details().items()]
    try:
        done = sweep(settings, fake, all_samples)
        # While the services run, the newest pages are in the -wal files; search those too.
        running_files = stored_files(data_dir)
        found = leaks(running_files, needles)
    finally:
        supervisor.stop()
        fake.stop()
    files = stored_files(data_dir)
    found += leaks(files, needles)
    files = sorted(set(files) | set(running_files))
    print(f"{len(all_samples)} samples in {time.monotonic() - started:.0f} s; flows x channels:")
    for (flow_name, channel), n in sorted(done.items()):
        print(f"  {flow_name:<11} {channel:<9} {n}")
    print("files searched (while running and after stopping): " + ", ".join(str(p.relative_to(data_dir)) for p in files))
    if found:
        print(f"{len(found)} unredacted items across {len(all_samples)} samples:")
        for line in found:
            print("  " + line)
        return 1
    print(f"0 unredacted items across {len(all_samples)} samples")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
