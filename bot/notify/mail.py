"""Send a notice by email: SMTP with STARTTLS and a login, never in clear text.

The URL (SEND_NAV_SMTP_URL, smtp://user:password@host:587) holds a
password, so neither it nor the server's replies are logged. Each send opens
its own connection with a timeout, in a worker thread, so a slow or failing
server holds up only its own notice. The Message-ID is built from the
notice id, so if a notice is ever sent twice (a crash between the server
accepting it and the notifier recording that) mail programs see one message.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Optional
from urllib.parse import unquote, urlsplit

from bot.notify.compose import NoticeText

DEFAULT_PORT = 587


class MailError(RuntimeError):
    """The notice could not be handed to the SMTP server."""


@dataclass
class Mailer:
    """Send notices through one SMTP server."""

    url: str = field(repr=False)
    sender: str
    timeout: float = 10.0
    tls: Optional[ssl.SSLContext] = None  # tests pass one that trusts their own certificate

    def message(self, notice_id: int, to: str, text: NoticeText) -> EmailMessage:
        """Build the email for one notice."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, text.subject
        message["Date"] = formatdate(localtime=False)
        domain = self.sender.rpartition("@")[2] or "send-navigator.invalid"
        message["Message-ID"] = f"<volunteer-notice-{notice_id}@{domain}>"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(text.body)
        return message

    def send(self, notice_id: int, to: str, text: NoticeText) -> None:
        """Send one notice (blocking: call it in a thread); raise MailError naming only the failure's type."""
        parts = urlsplit(self.url)
        context = self.tls or ssl.create_default_context()
        try:
            with smtplib.SMTP(parts.hostname or "", parts.port or DEFAULT_PORT, timeout=self.timeout) as smtp:
                smtp.ehlo()
                smtp.starttls(context=context)  # raises if the server does not offer it: never send in clear
                smtp.ehlo()
                smtp.login(unquote(parts.username or ""), unquote(parts.password or ""))
                smtp.send_message(self.message(notice_id, to, text))
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            raise MailError(type(exc).__name__) from None  # the reply may echo the login: keep only the type
