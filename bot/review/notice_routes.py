"""Each volunteer's notice preferences: channel, on-duty rota and quiet hours (issue 14 part 1).

Notices are opt-in and only for oneself: the page reads and writes the
logged-in volunteer's own row, never another's, so it takes no id from the
request. A channel the service has not set up (no SMTP server, no
volunteers' group) is not offered.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional, Tuple

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.notify.rota import DAY_NAMES, DAYS, Preference, parse_time, show_time, summary
from bot.review.context import ctx, redirect, render
from bot.review.security import Form, action, page
from bot.store.notices import NoticeRepository
from bot.store.volunteers import LiveSession

CHANNEL_LABELS = {
    "none": "No notices",
    "email": "Email, to the address you log in with",
    "telegram": "The volunteers' Telegram group",
    "both": "Email and the volunteers' Telegram group",
}


def routes() -> List[Route]:
    """Return the preference page's routes, relative to the dashboard's mount."""
    return [
        Route("/notifications", notifications, methods=["GET"], name="notifications"),
        Route("/notifications", save_notifications, methods=["POST"], name="notifications_save"),
    ]


def channels(request: Request) -> List[str]:
    """Return the channels a volunteer may choose on this service."""
    settings = ctx(request).settings
    email, group = bool(settings.smtp_url), bool(settings.volunteer_group_id and settings.telegram_token)
    return ["none"] + ["email"] * email + ["telegram"] * group + ["both"] * (email and group)


def _repository(request: Request) -> NoticeRepository:
    return NoticeRepository(ctx(request).sessions)


def _page(request: Request, live: LiveSession, preference: Preference, status_code: int = 200, error: str = "",
          values: Optional[Dict[str, str]] = None, saved: Optional[Preference] = None) -> Response:
    """Render the form showing `preference`, and `saved` (by default the same) as what is in force now."""
    saved = saved or preference
    account = ctx(request).volunteers.get(live.volunteer_id)
    shown = values or {
        "on_from": show_time(preference.on_from), "on_until": show_time(preference.on_until),
        "quiet_from": show_time(preference.quiet_from), "quiet_until": show_time(preference.quiet_until),
    }
    done = "Your notice settings are saved." if request.query_params.get("done") == "saved" and status_code == 200 else ""
    days, hours = summary(saved)
    return render(request, "notifications.html", status_code, active="notifications", error=error, done=done,
                  preference=preference, channels=[(c, CHANNEL_LABELS[c]) for c in channels(request)],
                  days=list(zip(DAYS, DAY_NAMES)), shown=shown, email=account.email if account else "",
                  summary_days=days, summary_hours=hours, current=CHANNEL_LABELS.get(saved.channel, "No notices"),
                  saved=saved, saved_quiet=(show_time(saved.quiet_from), show_time(saved.quiet_until)),
                  interval=ctx(request).settings.notify_interval_minutes)


@page
def notifications(request: Request, live: LiveSession) -> Response:
    """Show the volunteer's own notice settings."""
    return _page(request, live, _repository(request).preference(live.volunteer_id))


def read_preference(form: Form, allowed: List[str]) -> Tuple[Preference, str]:
    """Return the preference a form describes, or the default and a message saying what to correct."""
    channel = form.get("channel", "")
    if channel not in allowed:
        return Preference(), "Please choose how you would like to be told."
    days = frozenset(day for day in DAYS if form.get(f"day_{day}") == "on")
    if channel != "none" and not days:
        return Preference(), "Please tick at least one day you are on duty, or choose “No notices”."
    try:
        on_from, on_until = parse_time(form.get("on_from", "")), parse_time(form.get("on_until", ""))
    except ValueError:
        return Preference(), "Please give your on-duty hours as times like 09:00 and 17:00."
    quiet = form.get("quiet_from", "").strip(), form.get("quiet_until", "").strip()
    if bool(quiet[0]) != bool(quiet[1]):
        return Preference(), "Please give both ends of your quiet hours, or leave both empty."
    try:
        quiet_from, quiet_until = (parse_time(quiet[0]), parse_time(quiet[1])) if quiet[0] else (None, None)
    except ValueError:
        return Preference(), "Please give your quiet hours as times like 22:00 and 07:00."
    return Preference(channel, days, on_from, on_until, quiet_from, quiet_until), ""


@action()
def save_notifications(request: Request, live: LiveSession, form: Form) -> Response:
    """Save the volunteer's own notice settings."""
    allowed = channels(request)
    preference, error = read_preference(form, allowed)
    if error:  # show the form as it was sent, so nothing typed or ticked has to be done again
        values = {key: form.get(key, "")[:5] for key in ("on_from", "on_until", "quiet_from", "quiet_until")}
        stored = _repository(request).preference(live.volunteer_id)
        sent = replace(stored, channel=form.get("channel", "") if form.get("channel", "") in allowed else stored.channel,
                       days=frozenset(day for day in DAYS if form.get(f"day_{day}") == "on"))
        return _page(request, live, sent, 400, error, values, saved=stored)
    _repository(request).save_preference(live.volunteer_id, preference)
    ctx(request).audit.record(live.volunteer_id, "notice_preferences_saved", "volunteer", live.volunteer_id,
                              channel=preference.channel)
    response = redirect(request, "notifications")
    response.headers["location"] += "?done=saved"
    return response
