"""Settings read once from the environment, with safe defaults."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SECRET_KEY_FILE = "secret_key"
SQLITE_FILE = "weaver.sqlite3"


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    secret_key: str
    session_cookie_secure: bool
    heartbeat_seconds: int
    idle_timeout_minutes: int
    session_lifetime_hours: int
    ratelimit_storage_uri: str
    trusted_hosts: tuple[str, ...]
    proxy_hops: int
    repeated_view_threshold: int
    repeated_view_days: int
    x_bearer_token: str | None = None
    target_sync_seconds: int = 30
    # Reminders: digests by email, escalation, the reminder job's interval.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_from: str = "weaver@localhost"
    public_url: str | None = None
    digest_hour: int = 7
    escalate_after_days: int = 7
    reminder_minutes: int = 15

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        instance_path = Path(env.get("WEAVER_INSTANCE_PATH", "instance")).resolve()
        instance_path.mkdir(parents=True, exist_ok=True)
        return cls(
            instance_path=instance_path,
            database_url=env.get("DATABASE_URL") or default_database_url(instance_path),
            secret_key=env.get("SECRET_KEY") or persisted_secret_key(instance_path),
            session_cookie_secure=_flag(env.get("SESSION_COOKIE_SECURE"), default=False),
            heartbeat_seconds=int(env.get("WEAVER_HEARTBEAT_SECONDS", "300")),
            idle_timeout_minutes=int(env.get("WEAVER_IDLE_TIMEOUT_MINUTES", "30")),
            session_lifetime_hours=int(env.get("WEAVER_SESSION_LIFETIME_HOURS", "10")),
            ratelimit_storage_uri=env.get("RATELIMIT_STORAGE_URI", "memory://"),
            trusted_hosts=tuple(
                host.strip()
                for host in env.get("WEAVER_TRUSTED_HOSTS", "").split(",")
                if host.strip()
            ),
            proxy_hops=int(env.get("WEAVER_PROXY_HOPS", "0")),
            repeated_view_threshold=int(env.get("WEAVER_REPEATED_VIEW_THRESHOLD", "5")),
            repeated_view_days=int(env.get("WEAVER_REPEATED_VIEW_DAYS", "7")),
            x_bearer_token=env.get("X_BEARER_TOKEN") or None,
            target_sync_seconds=int(env.get("WEAVER_TARGET_SYNC_SECONDS", "30")),
            smtp_host=env.get("WEAVER_SMTP_HOST") or None,
            smtp_port=int(env.get("WEAVER_SMTP_PORT") or "587"),
            smtp_username=env.get("WEAVER_SMTP_USERNAME") or None,
            smtp_password=env.get("WEAVER_SMTP_PASSWORD") or None,
            smtp_starttls=_flag(env.get("WEAVER_SMTP_STARTTLS"), default=True),
            smtp_from=env.get("WEAVER_SMTP_FROM") or "weaver@localhost",
            public_url=(env.get("WEAVER_PUBLIC_URL") or "").rstrip("/") or None,
            digest_hour=int(env.get("WEAVER_DIGEST_HOUR") or "7"),
            escalate_after_days=int(env.get("WEAVER_ESCALATE_AFTER_DAYS") or "7"),
            reminder_minutes=int(env.get("WEAVER_REMINDER_MINUTES") or "15"),
        )


# Funding, closure or a change of service: news from an organisation we have lost touch with.
DEFAULT_SUGGESTION_KEYWORDS = (
    "funding",
    "grant",
    "grants",
    "cuts",
    "closure",
    "closing",
    "closed",
    "close down",
    "shut down",
    "shutting",
    "service change",
    "service changes",
    "changes to our service",
    "reduced hours",
    "suspended",
    "relocating",
    "last session",
)


def suggestion_keywords(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """WEAVER_SUGGESTION_KEYWORDS, comma-separated, else the defaults. Read on its own too, so
    the reminder job can use it without making an instance folder."""
    env = os.environ if environ is None else environ
    words = tuple(
        word.strip().lower()
        for word in env.get("WEAVER_SUGGESTION_KEYWORDS", "").split(",")
        if word.strip()
    )
    return words or DEFAULT_SUGGESTION_KEYWORDS


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / SQLITE_FILE}"


def persisted_secret_key(instance_path: Path) -> str:
    """The instance's own secret: made once, kept private, never in the code."""
    key_file = instance_path / SECRET_KEY_FILE
    if not key_file.exists():
        candidate = instance_path / f".{SECRET_KEY_FILE}.{secrets.token_hex(4)}"
        fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        # link() never overwrites: if two processes start together, the first key wins for both.
        try:
            os.link(candidate, key_file)
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return key_file.read_text().strip()


def _flag(value: str | None, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}
