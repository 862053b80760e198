"""The API's OpenAPI description, served at /api/v1/openapi.json and tested with schemathesis."""

from __future__ import annotations

from typing import Any

from crm.models import LOGGABLE_KINDS, ContactKind, FollowUpStatus, InteractionKind, Platform


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _ok(schema: str, description: str = "OK") -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _page_of(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 1},
        },
        "additionalProperties": False,
    }


def _int_query(name: str, maximum: int, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": maximum},
    }


COMMON_ERRORS = {
    "400": _error("The request is not in the documented shape"),
    "401": _error("No valid API token"),
    "403": _error("The token's officer may not do this"),
}
CONTACT_ID = {
    "name": "contact_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
}
NULLABLE_TEXT = {"type": "string", "nullable": True}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Weaver API",
            "version": "1",
            "description": "Contacts, their timelines, interactions and follow-ups. Authenticate "
            "with an officer's API token (Your account, API tokens): `Authorization: Bearer "
            "<token>`. The token has exactly the permissions of the officer's role.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"apiToken": []}],
        "paths": {
            "/contacts": {
                "get": {
                    "summary": "Search contacts",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "maxLength": 200},
                            "description": "Words that must all appear in the name or email",
                        },
                        {
                            "name": "kind",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": [k.value for k in ContactKind]},
                        },
                        _int_query(
                            "page", 1_000_000, "Page number; past the end gives the last page"
                        ),
                        _int_query("per_page", 100, "Results per page, at most 100"),
                    ],
                    "responses": {"200": _ok("ContactPage"), **COMMON_ERRORS},
                }
            },
            "/contacts/{contact_id}": {
                "get": {
                    "summary": "One contact",
                    "parameters": [CONTACT_ID],
                    "responses": {
                        "200": _ok("Contact"),
                        "404": _error("No such contact"),
                        **COMMON_ERRORS,
                    },
                }
            },
            "/contacts/{contact_id}/timeline": {
                "get": {
                    "summary": "A contact's timeline, newest first",
                    "parameters": [
                        CONTACT_ID,
                        _int_query("page", 1_000_000, "Page number"),
                        _int_query("per_page", 100, "Items per page, at most 100"),
                    ],
                    "responses": {
                        "200": _ok("InteractionPage"),
                        "404": _error("No such contact"),
                        **COMMON_ERRORS,
                    },
                }
            },
            "/follow-ups": {
                "get": {
                    "summary": "Open follow-ups, soonest due first",
                    "parameters": [
                        {
                            "name": "assignee",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": ["me", "anyone"]},
                        }
                    ],
                    "responses": {"200": _ok("FollowUpList"), **COMMON_ERRORS},
                }
            },
            "/interactions": {
                "post": {
                    "summary": "Log an interaction, perhaps with a follow-up",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/NewInteraction"}
                            }
                        },
                    },
                    "responses": {
                        "201": _ok("LoggedInteraction", "Logged"),
                        "404": _error("A contact does not exist"),
                        "422": _error(
                            "Well formed, but breaks a rule (for example, in the future)"
                        ),
                        **COMMON_ERRORS,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"apiToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "Contact": {
                    "type": "object",
                    "required": ["id", "kind", "name", "email", "locality"],
                    "properties": {
                        "id": {"type": "integer"},
                        "kind": {"type": "string", "enum": [k.value for k in ContactKind]},
                        "name": {"type": "string"},
                        "email": NULLABLE_TEXT,
                        "locality": NULLABLE_TEXT,
                    },
                    "additionalProperties": False,
                },
                "Interaction": {
                    "type": "object",
                    "required": [
                        "id",
                        "kind",
                        "occurred_at",
                        "text",
                        "platform",
                        "url",
                        "sentiment_polarity",
                        "contact_ids",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "kind": {"type": "string", "enum": [k.value for k in InteractionKind]},
                        "occurred_at": {"type": "string", "format": "date-time"},
                        "text": {"type": "string"},
                        "platform": {
                            "type": "string",
                            "nullable": True,
                            "enum": [p.value for p in Platform] + [None],
                        },
                        "url": NULLABLE_TEXT,
                        "sentiment_polarity": {"type": "number", "nullable": True},
                        "contact_ids": {"type": "array", "items": {"type": "integer"}},
                    },
                },
                "LoggedInteraction": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Interaction"},
                        {
                            "type": "object",
                            "required": ["follow_up_id"],
                            "properties": {"follow_up_id": {"type": "integer", "nullable": True}},
                        },
                    ],
                },
                "FollowUp": {
                    "type": "object",
                    "required": ["id", "contact_id", "due_on", "note", "status", "assignee_id"],
                    "properties": {
                        "id": {"type": "integer"},
                        "contact_id": {"type": "integer"},
                        "due_on": {"type": "string", "format": "date"},
                        "note": {"type": "string"},
                        "status": {"type": "string", "enum": [s.value for s in FollowUpStatus]},
                        "assignee_id": {"type": "integer", "nullable": True},
                    },
                    "additionalProperties": False,
                },
                "FollowUpList": {
                    "type": "object",
                    "required": ["items"],
                    "properties": {
                        "items": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/FollowUp"},
                        }
                    },
                },
                "ContactPage": _page_of("Contact"),
                "InteractionPage": _page_of("Interaction"),
                "NewInteraction": {
                    "type": "object",
                    "required": ["contact_ids", "kind", "occurred_at"],
                    "properties": {
                        "contact_ids": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
                        },
                        "kind": {"type": "string", "enum": [k.value for k in LOGGABLE_KINDS]},
                        "occurred_at": {
                            "type": "string",
                            "format": "date-time",
                            "description": "With a time zone; not in the future",
                        },
                        "note": {"type": "string", "maxLength": 10000},
                        "follow_up_on": {"type": "string", "format": "date"},
                    },
                },
            },
        },
    }
