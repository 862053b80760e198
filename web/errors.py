"""Friendly error pages. A server error gets a reference an officer can quote to support."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

log = logging.getLogger(__name__)

TITLES = {
    400: "Sorry, there is a problem with that request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "Sorry, there is a problem with that request",
    413: "The file or form you sent is too large",
    429: "Sorry, there have been too many attempts",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)


def _untrusted_host(_error: SecurityError) -> tuple[str, int, dict[str, str]]:
    # No page can be built for a host we do not serve: links would point at it.
    return (
        "Bad request: this site is not served at that address.",
        400,
        {"Content-Type": "text/plain; charset=utf-8"},
    )


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    message = "Your form expired or was sent from another site. Go back, refresh and try again."
    return render_template("errors/error.html", title=TITLES[400], message=message), 400


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    if code >= 500:
        return _server_error(error)
    title = TITLES.get(code, "Sorry, there is a problem with that request")
    return render_template("errors/error.html", title=title, message=None), code


def _server_error(error: Exception) -> tuple[str, int]:
    reference = secrets.token_hex(4).upper()
    original = getattr(error, "original_exception", None) or error
    log.error("Server error %s", reference, exc_info=original)
    return render_template("errors/server_error.html", reference=reference), 500
