"""Helpers for the closed vocabularies stored as text with a database CHECK."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


def text_enum(enum_class: type[StrEnum], name: str, length: int = 30) -> Enum:
    """Store the enum's values (not its names) as text, checked by the database."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
