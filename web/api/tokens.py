"""Who is calling the API: the officer whose bearer token this is, with their permissions."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify
from flask import request as flask_request

from crm.models import Officer
from crm.permissions import Permission, can
from crm.services.api_tokens import officer_for_token
from web.database import commit, db_session


def api_error(status: int, message: str, **headers: str) -> Any:
    response = jsonify(error=message)
    response.status_code = status
    response.headers.update(headers)
    return response


def check_api_token(permission: Permission) -> Any:
    header = flask_request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    officer = (
        officer_for_token(db_session(), secret.strip()) if scheme.lower() == "bearer" else None
    )
    if officer is None:
        return api_error(
            401,
            "Send a valid API token: Authorization: Bearer <token>",
            **{"WWW-Authenticate": 'Bearer realm="weaver"'},
        )
    if db_session().dirty:
        commit()  # keeps when the token was last used
    if not can(officer, permission):
        return api_error(403, "Your role does not allow this")
    g.api_officer = officer
    return None


def api_officer() -> Officer:
    return g.api_officer
