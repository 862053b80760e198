"""A real SMTP server on localhost (aiosmtpd) that keeps every message it is sent."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from crm.mail import SmtpMailer

SENDER = "weaver@council.example"


@dataclass
class MailCatcher:
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def mailer(self) -> SmtpMailer:
        return SmtpMailer(host="127.0.0.1", port=self.port, sender=SENDER, starttls=False)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


def body_of(message: EmailMessage) -> str:
    """The plain text as written: SMTP carries lines ending CRLF."""
    return message.get_content().replace("\r\n", "\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def local_smtp_server() -> Iterator[MailCatcher]:
    catcher = MailCatcher(port=free_port())
    controller = Controller(catcher, hostname="127.0.0.1", port=catcher.port)
    controller.start()
    try:
        yield catcher
    finally:
        controller.stop()


def unreachable_mailer() -> SmtpMailer:
    """A mail server that is down: nothing listens on the port."""
    return SmtpMailer(host="127.0.0.1", port=free_port(), sender=SENDER, starttls=False, timeout=5)
