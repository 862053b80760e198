"""The base of every form: CSRF from Flask-WTF, and text made safe before validation."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, Form

from crm.text import clean_text


def _clean(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


class WeaverForm(FlaskForm):
    class Meta:
        def bind_field(self, form: Form, unbound_field: Any, options: dict[str, Any]) -> Field:
            # NUL bytes and lone surrogates would make PostgreSQL refuse the whole request.
            filters = [_clean, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, filters=filters, **options)
