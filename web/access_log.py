"""gunicorn's access log, without the secret in a calendar feed's address.

Outlook fetches each officer's feed every few hours at `/calendar/<secret>.ics`, and the
secret is all it takes to read their follow-ups: an access log must not keep it.
Production runs gunicorn with `--logger-class web.access_log.AccessLogger`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

_FEED_SECRET = re.compile(r"(/calendar/)[^/?#\s]+")
HIDDEN = "[hidden]"


def redact(text: str) -> str:
    return _FEED_SECRET.sub(rf"\g<1>{HIDDEN}", text)


class AccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict, request_time: timedelta) -> dict:
        # Every atom, not only the request line: formats can name the path, the raw URI, the
        # referrer or any environ value.
        return {
            name: redact(value) if isinstance(value, str) else value
            for name, value in super().atoms(resp, req, environ, request_time).items()
        }
