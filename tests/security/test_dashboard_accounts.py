"""F3: account lifecycle. Deactivation ends sessions at once; passwords are chosen by volunteers through
single-use, expiring links whose tokens are stored only as keyed hashes; coordinators never see one."""

from __future__ import annotations

import datetime as dt
import re
from typing import Dict

import pytest

from bot.ops import cli
from bot.review.context import ReviewContext
from bot.store.account_links import AccountLink
from bot.store.models import utcnow
from bot.store.volunteers import ReviewSession
from tests.helpers.dashboard import (  # noqa: F401  (fixtures)
    accounts, client_at, dashboard_app, dashboard_settings, hasher, project_kb, question, review, signed_in,
)
from tests.helpers.review import COORDINATOR, MOUNT, SECOND, VOLUNTEER, AuthActions, choose_password, link_on

NEW_PASSWORD = "val-chose-a-new-one-2026"


def _logged_in(actions: AuthActions) -> bool:
    return actions.get("/").status_code == 200


def _sessions_of(review: ReviewContext, volunteer_id: int) -> int:
    with review.sessions() as session:
        return session.query(ReviewSession).filter(ReviewSession.volunteer_id == volunteer_id).count()


def test_f3_deactivation_ends_every_session_at_once_and_stops_logins(signed_in, review, accounts: Dict[str, int]):
    laptop, phone = signed_in(VOLUNTEER), signed_in(VOLUNTEER, address="198.51.100.20")
    cora = signed_in(COORDINATOR)
    assert cora.post(f"/volunteers/{accounts['Val']}/deactivate").status_code == 303
    assert not _logged_in(laptop) and not _logged_in(phone)
    assert _sessions_of(review, accounts["Val"]) == 0
    refused = laptop.login(VOLUNTEER)
    assert refused.status_code == 400 and "Email or password is not right" in refused.text  # no hint it exists
    assert [(r.action, r.target_id) for r in review.audit.latest() if r.action == "deactivate"] == \
        [("deactivate", str(accounts["Val"]))]
    assert "deactivated" in cora.get("/volunteers").text


def test_f3_a_reactivated_volunteer_can_log_in_again(signed_in, client_at, accounts: Dict[str, int]):
    cora = signed_in(COORDINATOR)
    cora.post(f"/volunteers/{accounts['Val']}/deactivate")
    assert cora.post(f"/volunteers/{accounts['Val']}/reactivate").status_code == 303
    assert AuthActions(client_at()).login(VOLUNTEER).status_code == 303


@pytest.mark.parametrize("what", ["deactivate", "reset"])
def test_f3_a_coordinator_cannot_lock_themselves_out(signed_in, review, accounts: Dict[str, int], what: str):
    cora = signed_in(COORDINATOR)
    response = cora.post(f"/volunteers/{accounts['Cora']}/{what}")
    assert response.status_code == 400 and "your own account" in response.text
    assert _logged_in(cora) and review.volunteers.get(accounts["Cora"]).has_password


def test_f3_volunteers_cannot_manage_accounts(signed_in, review, accounts: Dict[str, int]):
    sam = signed_in(SECOND)
    for what in ("deactivate", "reset", "reactivate"):
        assert sam.post(f"/volunteers/{accounts['Val']}/{what}").status_code == 403
    assert review.volunteers.get(accounts["Val"]).active and review.volunteers.get(accounts["Val"]).has_password


def test_f3_reset_gives_a_link_never_a_password_and_the_old_password_stops_working(
    signed_in, client_at, review, accounts: Dict[str, int],
):
    val = signed_in(VOLUNTEER)
    cora = signed_in(COORDINATOR)
    page = cora.post(f"/volunteers/{accounts['Val']}/reset")
    assert page.status_code == 200 and "works once" in page.text
    assert 'class="secret"' not in page.text and "password:" not in page.text.lower()
    link = link_on(page.text)
    assert not _logged_in(val)  # every session ended at the reset
    assert AuthActions(client_at()).login(VOLUNTEER).status_code == 400  # the old password no longer works
    fresh = client_at()
    assert choose_password(fresh, link, NEW_PASSWORD).status_code == 303
    assert AuthActions(fresh).login(VOLUNTEER, password=NEW_PASSWORD).status_code == 303
    assert {"reset", "password_set"} <= {r.action for r in review.audit.latest()}


def _form_token(client, path: str) -> str:
    """Return the pre-login CSRF field of a page that has one (the login page, or a working link's page)."""
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def _submit(client, csrf: str, link: str, password: str):
    return client.post(f"{MOUNT}/set-password", data={
        "csrf_token": csrf, "token": link.split("token=", 1)[1], "new_password": password, "confirm_password": password})


def test_f3_a_link_works_once(signed_in, client_at, review, accounts: Dict[str, int]):
    link = link_on(signed_in(COORDINATOR).post(f"/volunteers/{accounts['Val']}/reset").text)
    late = client_at()
    csrf = _form_token(late, link)  # opened before the link is used, submitted after
    assert choose_password(client_at(), link, NEW_PASSWORD).status_code == 303
    second = _submit(late, csrf, link, "someone-elses-choice-99")
    assert second.status_code == 410 and "expired or has already been used" in second.text
    assert client_at().get(link).status_code == 410
    assert AuthActions(client_at()).login(VOLUNTEER, password=NEW_PASSWORD).status_code == 303


def test_f3_a_link_expires(signed_in, client_at, review, accounts: Dict[str, int]):
    link = link_on(signed_in(COORDINATOR).post(f"/volunteers/{accounts['Val']}/reset").text)
    with review.sessions.begin() as session:
        session.query(AccountLink).update({"expires_at": utcnow() - dt.timedelta(seconds=1)})
    assert client_at().get(link).status_code == 410
    visitor = client_at()
    assert _submit(visitor, _form_token(visitor, f"{MOUNT}/login"), link, NEW_PASSWORD).status_code == 410
    assert not review.volunteers.get(accounts["Val"]).has_password


def test_f3_links_are_stored_only_as_keyed_hashes_and_a_new_one_replaces_the_old(
    signed_in, client_at, review, accounts: Dict[str, int],
):
    cora = signed_in(COORDINATOR)
    first = link_on(cora.post(f"/volunteers/{accounts['Val']}/reset").text)
    second = link_on(cora.post(f"/volunteers/{accounts['Val']}/reset").text)
    token = second.split("token=", 1)[1]
    with review.sessions() as session:
        stored = [row.token_hash for row in session.query(AccountLink)]
    assert stored == [review.links.key_hash(token)] and token not in stored[0]
    assert client_at().get(first).status_code == 410  # only the newest link works
    assert choose_password(client_at(), second, NEW_PASSWORD).status_code == 303


def test_f3_an_invitation_gives_a_link_and_the_coordinator_never_sees_a_password(signed_in, client_at, review):
    cora = signed_in(COORDINATOR)
    page = cora.post("/volunteers", email="nia@example.org", display_name="Nia", role="volunteer")
    assert page.status_code == 201 and 'class="secret"' not in page.text
    link = link_on(page.text)
    assert review.volunteers.by_email("nia@example.org").password_hash == ""
    for guess in ("", "nia@example.org", link.split("token=", 1)[1]):  # nothing logs in before Nia chooses
        assert AuthActions(client_at()).login(("nia@example.org", "", "", guess)).status_code == 400
    mismatch = choose_password(client_at(), link, NEW_PASSWORD, again="something-else-entirely")
    assert mismatch.status_code == 400 and "not the same" in mismatch.text
    assert choose_password(client_at(), link, NEW_PASSWORD).status_code == 303
    assert AuthActions(client_at()).login(("nia@example.org", "", "", NEW_PASSWORD)).status_code == 303


def test_f3_coordinators_see_when_each_volunteer_last_logged_in(signed_in, review, accounts: Dict[str, int]):
    cora = signed_in(COORDINATOR)
    row = re.search(r"<th scope=\"row\">Sam</th>(.*?)</tr>", cora.get("/volunteers").text, re.S).group(1)
    assert "never" in row
    signed_in(SECOND)
    row = re.search(r"<th scope=\"row\">Sam</th>(.*?)</tr>", cora.get("/volunteers").text, re.S).group(1)
    assert "never" not in row and str(utcnow().year) in row
    assert review.volunteers.get(accounts["Sam"]).last_login_at is not None


def test_f3_a_volunteer_changes_their_password_with_the_current_one_and_other_sessions_end(
    signed_in, client_at, review, accounts: Dict[str, int],
):
    here, elsewhere = signed_in(VOLUNTEER), signed_in(VOLUNTEER, address="198.51.100.20")
    wrong = here.post("/password", current_password="not-my-password", new_password=NEW_PASSWORD,
                      confirm_password=NEW_PASSWORD)
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    short = here.post("/password", current_password=VOLUNTEER[3], new_password="short", confirm_password="short")
    assert short.status_code == 400 and "12 to 256 characters" in short.text
    done = here.post("/password", current_password=VOLUNTEER[3], new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD)
    assert done.status_code == 303
    assert _logged_in(here) and not _logged_in(elsewhere)
    assert _sessions_of(review, accounts["Val"]) == 1
    assert AuthActions(client_at()).login(VOLUNTEER).status_code == 400
    assert AuthActions(client_at()).login(VOLUNTEER, password=NEW_PASSWORD).status_code == 303
    assert "password_changed" in {r.action for r in review.audit.latest()}


def test_f3_the_link_page_without_a_working_token_is_gone(client_at, accounts):
    visitor = client_at()
    assert visitor.get(f"{MOUNT}/set-password").status_code == 410
    assert visitor.get(f"{MOUNT}/set-password?token=" + "A" * 43).status_code == 410
    guessed = f"{MOUNT}/set-password?token={'A' * 43}"
    assert _submit(visitor, _form_token(visitor, f"{MOUNT}/login"), guessed, NEW_PASSWORD).status_code == 410
    forged = visitor.post(f"{MOUNT}/set-password", data={"token": "A" * 43, "new_password": NEW_PASSWORD,
                                                         "confirm_password": NEW_PASSWORD})
    assert forged.status_code == 403  # no pre-login CSRF pair


def test_f3_cli_lists_deactivates_and_resets_with_a_link(env, settings, review, accounts, client_at, monkeypatch, capsys):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    signed_in_val = AuthActions(client_at())
    signed_in_val.login(VOLUNTEER)
    assert cli.main(["volunteers", "list"]) == 0
    listing = capsys.readouterr().out
    assert "val@example.org" in listing and "cora@example.org" in listing and "never" in listing
    assert cli.main(["volunteers", "reset", "--email", "VAL@example.org"]) == 0
    printed = capsys.readouterr().out
    link = re.search(r"(http\S+/review/set-password\?token=\S+)", printed).group(1)
    assert VOLUNTEER[3] not in printed and not _logged_in(signed_in_val)
    assert choose_password(client_at(), link[link.index(MOUNT):], NEW_PASSWORD).status_code == 303
    assert cli.main(["volunteers", "deactivate", "--email", "val@example.org"]) == 0
    assert "every session of it has ended" in capsys.readouterr().out
    assert not review.volunteers.by_email("val@example.org").active
    assert cli.main(["volunteers", "deactivate", "--email", "nobody@example.org"]) == 1
    assert {("deactivate", "cli"), ("reset", "cli")} <= {(r.action, r.detail.get("via")) for r in review.audit.latest()}
