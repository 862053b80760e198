"""The production access log never records a calendar feed's secret address."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import SafeAtoms

from web.access_log import AccessLogger

ROOT = Path(__file__).resolve().parents[2]


def access_line(path: str, referrer: str = "-") -> str:
    config = Config()
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": referrer,
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=120)
    atoms = AccessLogger(config).atoms(response, [], environ, timedelta(milliseconds=5))
    return config.access_log_format % SafeAtoms(atoms) + " " + atoms["{raw_uri}e"]


def test_the_feeds_secret_is_hidden_wherever_the_log_would_show_it() -> None:
    line = access_line("/calendar/Zx81-secret_token.ics", referrer="/calendar/Zx81-secret_token")

    assert "Zx81" not in line
    assert '"GET /calendar/[hidden] HTTP/1.1" 200' in line


def test_other_addresses_are_logged_as_they_were() -> None:
    assert '"GET /contacts/12?page=2 HTTP/1.1" 200' in access_line("/contacts/12?page=2")


def test_production_runs_gunicorn_with_this_logger() -> None:
    for name in ("Dockerfile", "docker-compose.yml"):
        text = (ROOT / name).read_text()
        assert '"--logger-class", "web.access_log.AccessLogger"' in text, name
