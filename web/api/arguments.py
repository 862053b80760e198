"""Strict reading of API input: anything outside the documented shape is a clear 400."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import request


class BadRequest(Exception):
    pass


def int_arg(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise BadRequest(f"{name} must be a whole number from {minimum} to {maximum}")
    return int(raw)


def choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    raw = request.args.get(name)
    if raw is not None and raw not in choices:
        raise BadRequest(f"{name} must be one of: {', '.join(choices)}")
    return raw


def text_arg(name: str, *, max_length: int) -> str:
    raw = request.args.get(name, "")
    if len(raw) > max_length or "\x00" in raw:
        raise BadRequest(f"{name} must be text of {max_length} characters or fewer")
    return raw


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object")
    return body


def field(body: dict[str, Any], name: str, kind: type, *, required: bool = True) -> Any:
    value = body.get(name)
    if value is None:
        if required:
            raise BadRequest(f"{name} is required")
        return None
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise BadRequest(f"{name} has the wrong type")
    return value


def aware_datetime(name: str, text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise BadRequest(f"{name} must be an ISO 8601 date and time") from error
    if moment.tzinfo is None:
        raise BadRequest(f"{name} must include a time zone, for example 2026-11-24T14:30:00Z")
    return moment


def iso_date(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise BadRequest(f"{name} must be a date like 2026-12-01") from error
