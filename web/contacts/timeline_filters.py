"""The filters above a contact's timeline: a GET form, so a filtered timeline has a link."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, Field, SelectField
from wtforms.validators import Optional, ValidationError

from crm.models import Officer, Platform
from crm.sentiment import SentimentLabel
from crm.services.timeline import TIMELINE_KINDS, TimelineFilters
from web.filters import humanise
from web.forms import WeaverForm

ANY = ""


class TimelineFilterForm(WeaverForm):
    """Drawn by contacts/_filter_fields.html from `select_params` and `date_params`: a
    WTForms widget renders each field as a template of its own, which costs more than the
    rest of the timeline."""

    class Meta:
        csrf = False  # reading only: a filter changes nothing

    kind = SelectField(
        "Kind",
        default=ANY,
        choices=[(ANY, "Any kind"), *((kind, humanise(kind)) for kind in TIMELINE_KINDS)],
    )
    platform = SelectField(
        "Platform",
        default=ANY,
        choices=[(ANY, "Any platform"), *((p.value, humanise(p)) for p in Platform)],
    )
    officer = SelectField("Officer", default=ANY, choices=[(ANY, "Any officer")])
    sentiment = SelectField(
        "Sentiment",
        default=ANY,
        choices=[(ANY, "Any sentiment"), *((s.value, humanise(s)) for s in SentimentLabel)],
    )
    since = DateField(
        "From", format="%d %m %Y", description="For example, 1 10 2024", validators=[Optional()]
    )
    until = DateField(
        "To", format="%d %m %Y", description="For example, 31 10 2024", validators=[Optional()]
    )
    # Set by the "Include items of its people" link, and kept by a hidden field.
    people = BooleanField()

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The ‘to’ date must be the same as or after the ‘from’ date")

    def select_params(self, field: SelectField) -> dict[str, Any]:
        chosen = field.data if _valid(field) else ANY
        return {
            "id": field.id,
            "name": field.name,
            "label": {"text": field.label.text, "classes": "govuk-label--s"},
            "items": [
                {"value": value, "text": text, "selected": str(value) == str(chosen)}
                for value, text in field.choices
            ],
            **_error(field),
        }

    def date_params(self, field: DateField) -> dict[str, Any]:
        day, month, year = [*(field.raw_data or []), "", "", ""][:3]
        error = "govuk-input--error " if field.errors else ""
        return {
            "id": field.id,
            "fieldset": {
                "legend": {"text": field.label.text, "classes": "govuk-fieldset__legend--s"}
            },
            "hint": {"text": field.description},
            "items": [
                _date_box(field, "day", day, error + "govuk-input--width-2"),
                _date_box(field, "month", month, error + "govuk-input--width-2"),
                _date_box(field, "year", year, error + "govuk-input--width-4"),
            ],
            **_error(field),
        }


def _date_box(field: DateField, part: str, value: str, classes: str) -> dict[str, Any]:
    # One name for the three boxes: DateField reads them as "day month year".
    return {
        "id": f"{field.id}-{part}",
        "name": field.name,
        "label": part.capitalize(),
        "value": value,
        "classes": classes,
    }


def _error(field: Field) -> dict[str, Any]:
    return {"errorMessage": {"text": field.errors[0]}} if field.errors else {}


def timeline_filter_form(arguments: MultiDict, officers: Sequence[Officer]) -> TimelineFilterForm:
    form = TimelineFilterForm(formdata=arguments)
    form.officer.choices = [(ANY, "Any officer"), *((str(o.id), o.name) for o in officers)]
    form.validate()
    return form


def filters_from(form: TimelineFilterForm) -> TimelineFilters:
    """What the form asks for; a field with an error is ignored, and says so on the page."""
    return TimelineFilters(
        kinds=frozenset([form.kind.data]) if _valid(form.kind) else frozenset(),
        platform=Platform(form.platform.data) if _valid(form.platform) else None,
        officer_id=int(form.officer.data) if _valid(form.officer) else None,
        since=form.since.data if not form.since.errors else None,
        until=form.until.data if not form.until.errors else None,
        sentiment=SentimentLabel(form.sentiment.data) if _valid(form.sentiment) else None,
        include_people=bool(form.people.data),
    )


def _valid(field: SelectField) -> bool:
    return bool(field.data) and not field.errors


def query_arguments(form: TimelineFilterForm) -> dict[str, object]:
    """The filters as query string arguments, for links that keep them (all but the people
    toggle, which links set themselves)."""
    arguments: dict[str, object] = {}
    for name in ("kind", "platform", "officer", "sentiment"):
        if _valid(form[name]):
            arguments[name] = form[name].data
    for name in ("since", "until"):
        day = form[name].data
        if day is not None and not form[name].errors:
            arguments[name] = [str(day.day), str(day.month), str(day.year)]
    return arguments
