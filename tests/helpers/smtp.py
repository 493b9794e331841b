"""A real SMTP server (aiosmtpd) on 127.0.0.1 that insists on STARTTLS and a login, for the notifier's tests.

Its certificate is made for the test (127.0.0.1 as the subject's IP
address) and `client_tls()` returns a context that trusts only it, so the
notifier's real certificate checks run unchanged.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import logging
import socket
import ssl
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any, List

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD = "notices@example.org", "smtp-test-password"


def _certificate(folder: Path) -> tuple:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """The aiosmtpd handler: keeps each accepted message."""

    def __init__(self) -> None:
        self.messages: List[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


class SmtpServer:
    """aiosmtpd in a thread on 127.0.0.1: STARTTLS required, then AUTH required."""

    def __init__(self, folder: Path) -> None:
        logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's own deprecation notes about itself
        self.cert, key = _certificate(folder)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(self.cert, key)
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, tls_context=tls, require_starttls=True,
            auth_required=True, authenticator=_authenticator, server_hostname="127.0.0.1",
        )

    def url(self, user: str = USER, password: str = PASSWORD) -> str:
        """Return the SEND_NAV_SMTP_URL for this server."""
        return f"smtp://{user.replace('@', '%40')}:{password}@127.0.0.1:{self.port}"

    def client_tls(self) -> ssl.SSLContext:
        """Return a client context that trusts this server's certificate (and checks the host)."""
        return ssl.create_default_context(cafile=str(self.cert))

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def messages(self) -> List[EmailMessage]:
        with self.inbox.lock:
            return list(self.inbox.messages)
