from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from crm.errors import InvalidInput, NotFound
from crm.models import LOGGABLE_KINDS, ContactKind, InteractionKind
from crm.permissions import Permission
from crm.services.contacts import get_contact, search_contacts
from crm.services.follow_ups import open_follow_ups
from crm.services.interactions import record_interaction
from crm.services.timeline import contact_timeline
from web.api import arguments
from web.api.openapi import openapi_document
from web.api.serialise import contact_json, follow_up_json, interaction_json, page_json
from web.api.tokens import api_error, api_officer
from web.auth.access import public, token_requires
from web.database import commit, db_session
from web.extensions import csrf

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
# Callers authenticate with a bearer token, never a cookie, so there is no CSRF to forge.
csrf.exempt(blueprint)

MAX_PER_PAGE = 100


@blueprint.errorhandler(arguments.BadRequest)
def _bad_request(error: arguments.BadRequest) -> Any:
    return api_error(400, str(error))


@blueprint.errorhandler(InvalidInput)
def _invalid(error: InvalidInput) -> Any:
    return api_error(422, str(error))


@blueprint.errorhandler(NotFound)
def _not_found(error: NotFound) -> Any:
    return api_error(404, str(error))


@blueprint.get("/openapi.json")
@public
def openapi() -> Any:
    return jsonify(openapi_document())


@blueprint.get("/contacts")
@token_requires(Permission.READ_CRM)
def contacts() -> Any:
    kind = arguments.choice_arg("kind", tuple(ContactKind))
    page = search_contacts(
        db_session(),
        arguments.text_arg("q", max_length=200),
        viewer=api_officer(),
        kind=ContactKind(kind) if kind else None,
        page=arguments.int_arg("page", 1, minimum=1, maximum=1_000_000),
        per_page=arguments.int_arg("per_page", 25, minimum=1, maximum=MAX_PER_PAGE),
    )
    return jsonify(page_json(page, [contact_json(contact) for contact in page.items]))


@blueprint.get("/contacts/<int:contact_id>")
@token_requires(Permission.READ_CRM)
def contact(contact_id: int) -> Any:
    return jsonify(contact_json(get_contact(db_session(), contact_id, viewer=api_officer())))


@blueprint.get("/contacts/<int:contact_id>/timeline")
@token_requires(Permission.READ_CRM)
def timeline(contact_id: int) -> Any:
    get_contact(db_session(), contact_id, viewer=api_officer())
    page = contact_timeline(
        db_session(),
        contact_id,
        viewer=api_officer(),
        page=arguments.int_arg("page", 1, minimum=1, maximum=1_000_000),
        per_page=arguments.int_arg("per_page", 20, minimum=1, maximum=MAX_PER_PAGE),
    )
    return jsonify(page_json(page, [interaction_json(item) for item in page.items]))


@blueprint.get("/follow-ups")
@token_requires(Permission.READ_CRM)
def follow_ups() -> Any:
    whose = arguments.choice_arg("assignee", ("me", "anyone")) or "me"
    viewer = api_officer()
    items = open_follow_ups(
        db_session(), viewer=viewer, assignee_id=viewer.id if whose == "me" else None
    )
    return jsonify({"items": [follow_up_json(item) for item in items]})


@blueprint.post("/interactions")
@token_requires(Permission.WRITE_CRM)
def log_interaction() -> Any:
    body = arguments.json_body()
    contact_ids = arguments.field(body, "contact_ids", list)
    if not contact_ids or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31 for i in contact_ids
    ):
        raise arguments.BadRequest("contact_ids must be a list of contact ids")
    kind = arguments.field(body, "kind", str)
    if kind not in {k.value for k in LOGGABLE_KINDS}:
        raise arguments.BadRequest("kind is not a kind of interaction that can be logged")
    note = arguments.field(body, "note", str, required=False) or ""
    follow_up = arguments.field(body, "follow_up_on", str, required=False)
    logged = record_interaction(
        db_session(),
        officer_id=api_officer().id,
        contact_ids=contact_ids,
        kind=InteractionKind(kind),
        occurred_at=arguments.aware_datetime(
            "occurred_at", arguments.field(body, "occurred_at", str)
        ),
        note=note,
        follow_up_on=arguments.iso_date("follow_up_on", follow_up) if follow_up else None,
    )
    commit()
    response = jsonify(
        {**interaction_json(logged.interaction), "follow_up_id": logged.follow_up_id}
    )
    response.status_code = 201
    return response
