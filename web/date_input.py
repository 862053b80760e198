"""The GOV.UK date input, tolerant of a request that leaves out some of its three boxes."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field


class DateInput(GovDateInput):
    def map_gov_params(self, field: Field, **kwargs: object) -> dict:
        if field.raw_data is not None and len(field.raw_data) != 3:
            # A hand-made or truncated request: show empty boxes rather than fail.
            field.raw_data = [*field.raw_data, "", "", ""][:3]
        return super().map_gov_params(field, **kwargs)
