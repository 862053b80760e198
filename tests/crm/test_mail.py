"""Email settings come from the environment, and the mailer signs in to the SMTP server."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from crm.config import Settings
from crm.mail import MailNotSent, SmtpMailer, mailer_from_settings
from tests.mail_server import MailCatcher, free_port, unreachable_mailer


def test_no_smtp_host_means_no_mailer(tmp_path) -> None:
    settings = Settings.from_environment({"WEAVER_INSTANCE_PATH": str(tmp_path)})
    assert settings.smtp_host is None
    assert mailer_from_settings(settings) is None


def test_smtp_settings_come_from_the_environment(tmp_path) -> None:
    settings = Settings.from_environment(
        {
            "WEAVER_INSTANCE_PATH": str(tmp_path),
            "WEAVER_SMTP_HOST": "smtp.council.example",
            "WEAVER_SMTP_PORT": "2525",
            "WEAVER_SMTP_USERNAME": "weaver",
            "WEAVER_SMTP_PASSWORD": "secret",
            "WEAVER_SMTP_STARTTLS": "false",
            "WEAVER_SMTP_FROM": "Weaver <weaver@council.example>",
            "WEAVER_ESCALATE_AFTER_DAYS": "10",
            "WEAVER_DIGEST_HOUR": "8",
            "WEAVER_PUBLIC_URL": "https://weaver.council.example/",
        }
    )
    assert mailer_from_settings(settings) == SmtpMailer(
        host="smtp.council.example",
        port=2525,
        sender="Weaver <weaver@council.example>",
        username="weaver",
        password="secret",
        starttls=False,
    )
    assert settings.escalate_after_days == 10
    assert settings.digest_hour == 8
    assert settings.public_url == "https://weaver.council.example"


def test_starttls_is_on_by_default(tmp_path) -> None:
    settings = Settings.from_environment(
        {"WEAVER_INSTANCE_PATH": str(tmp_path), "WEAVER_SMTP_HOST": "smtp.council.example"}
    )
    mailer = mailer_from_settings(settings)
    assert mailer is not None and mailer.starttls and mailer.port == 587


def message() -> EmailMessage:
    email = EmailMessage()
    email["From"] = "weaver@council.example"
    email["To"] = "priya@council.example"
    email["Subject"] = "Hello"
    email.set_content("Hello")
    return email


def test_the_mailer_signs_in_with_the_username_and_password() -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"right")

    catcher = MailCatcher(port=free_port())
    controller = Controller(
        catcher,
        hostname="127.0.0.1",
        port=catcher.port,
        authenticator=authenticator,
        auth_require_tls=False,  # a test server on localhost, without a certificate
    )
    controller.start()
    try:
        mailer = SmtpMailer(
            host="127.0.0.1",
            port=catcher.port,
            sender="weaver@council.example",
            username="weaver",
            password="right",
            starttls=False,
        )
        mailer.send(message())
    finally:
        controller.stop()
    assert logins == [(b"weaver", b"right")]
    assert len(catcher.messages) == 1


def test_a_server_that_is_down_raises_mail_not_sent() -> None:
    with pytest.raises(MailNotSent, match="ConnectionRefusedError"):
        unreachable_mailer().send(message())
