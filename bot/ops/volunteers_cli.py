"""`python -m bot volunteers ...`: dashboard accounts from the command line (add, list, deactivate, reset).

`add` takes a password typed at a prompt (or on standard input), never as an
argument, so it stays out of the shell history; it is how the first
coordinator gets in. Everyone else is invited from the dashboard, and
`reset` prints a single-use link rather than a password.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.settings import Settings


def cmd_volunteers_add(settings: Settings, args: argparse.Namespace) -> int:
    """Create a volunteer or coordinator account; the password is typed, never passed as an argument."""
    import getpass

    from bot.review.accounts import add_volunteer

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (at least 12 characters): ")
        if password != getpass.getpass("Type it again: "):
            print("The passwords did not match; nothing was created.", file=sys.stderr)
            return 1
    try:
        volunteer_id = add_volunteer(settings, args.email, args.name, args.role, password)
    except ValueError as exc:
        print(f"Could not create the account: {exc}", file=sys.stderr)
        return 1
    print(f"Created {args.role} account {volunteer_id} for {args.email}.")
    return 0


def cmd_volunteers_list(settings: Settings, _args: argparse.Namespace) -> int:
    """Print every dashboard account with its role, status and last login."""
    from bot.review.accounts import list_accounts

    people = list_accounts(settings)
    if not people:
        print("There are no accounts yet. Create a coordinator with: python -m bot volunteers add --role coordinator ...")
        return 0
    print(f"{'id':>4}  {'email':<32} {'role':<11} {'status':<16} last login (UTC)")
    for p in people:
        status = "deactivated" if not p.active else ("active" if p.has_password else "no password yet")
        last = p.last_login_at.strftime("%Y-%m-%d %H:%M") if p.last_login_at else "never"
        print(f"{p.id:>4}  {p.email:<32} {p.role:<11} {status:<16} {last}")
    return 0


def cmd_volunteers_deactivate(settings: Settings, args: argparse.Namespace) -> int:
    """Switch an account off at once: its sessions and unused links end."""
    from bot.review.accounts import UnknownAccount, deactivate_account

    try:
        account = deactivate_account(settings, args.email)
    except UnknownAccount as exc:
        print(f"Could not deactivate: {exc}", file=sys.stderr)
        return 1
    print(f"Deactivated account {account.id} ({account.email}); every session of it has ended.")
    return 0


def cmd_volunteers_reset(settings: Settings, args: argparse.Namespace) -> int:
    """Reset a password: the old one stops working, and a single-use link lets the volunteer choose a new one."""
    from bot.review.accounts import RESET_TTL, UnknownAccount, reset_account

    try:
        link = reset_account(settings, args.email)
    except (UnknownAccount, ValueError) as exc:
        print(f"Could not reset: {exc}", file=sys.stderr)
        return 1
    hours = int(RESET_TTL.total_seconds() // 3600)
    print(f"The old password no longer works and every session has ended. Give {args.email.strip().lower()} this link "
          f"(it works once, for {hours} hours):\n{link}")
    return 0


def add_volunteer_commands(commands: Any) -> None:
    """Add the `volunteers` command and its subcommands to the CLI's parser."""
    volunteers = commands.add_parser("volunteers", help="dashboard accounts").add_subparsers(dest="volunteers_command", required=True)
    add = volunteers.add_parser("add", help="create a volunteer or coordinator account")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True, help="name shown to other volunteers")
    add.add_argument("--role", choices=("volunteer", "coordinator"), default="volunteer")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=cmd_volunteers_add)
    volunteers.add_parser("list", help="list accounts with their status and last login").set_defaults(func=cmd_volunteers_list)
    deactivate = volunteers.add_parser("deactivate", help="switch an account off and end its sessions")
    deactivate.add_argument("--email", required=True)
    deactivate.set_defaults(func=cmd_volunteers_deactivate)
    reset = volunteers.add_parser("reset", help="reset a password: prints a single-use link for the volunteer")
    reset.add_argument("--email", required=True)
    reset.set_defaults(func=cmd_volunteers_reset)
