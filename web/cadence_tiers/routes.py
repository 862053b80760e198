"""Admins set up the cadence tiers organisations are given: add, rename, change, delete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput, NotFound
from crm.models import CadenceTier
from crm.permissions import Permission
from crm.services import cadence_tiers
from web.auth.access import requires
from web.auth.session import current_officer
from web.cadence_tiers.forms import CadenceTierForm, DeleteTierForm
from web.database import commit, db_session

blueprint = Blueprint("cadence_tiers", __name__, url_prefix="/admin/cadence-tiers")


@blueprint.get("/")
@requires(Permission.MANAGE_CADENCES)
def index() -> str:
    return _show_list(CadenceTierForm(formdata=None))


@blueprint.post("/")
@requires(Permission.MANAGE_CADENCES)
def create() -> str | Response:
    form = CadenceTierForm()
    if form.validate_on_submit():
        try:
            tier = cadence_tiers.create_tier(
                db_session(),
                name=form.name.data or "",
                days=form.days.data or 0,
                officer_id=current_officer().id,
            )
        except InvalidInput as error:
            form[error.field or "name"].errors = [str(error)]
        else:
            commit()
            flash(f"Tier {tier.name} added", "success")
            return redirect(url_for("cadence_tiers.index"))
    return _show_list(form)


@blueprint.get("/<int:tier_id>")
@requires(Permission.MANAGE_CADENCES)
def edit(tier_id: int) -> str:
    tier = _tier_or_404(tier_id)
    return _show_edit(tier, CadenceTierForm(formdata=None, obj=tier))


@blueprint.post("/<int:tier_id>")
@requires(Permission.MANAGE_CADENCES)
def update(tier_id: int) -> str | Response:
    tier = _tier_or_404(tier_id)
    form = CadenceTierForm()
    if form.validate_on_submit():
        try:
            cadence_tiers.update_tier(
                db_session(),
                tier_id,
                name=form.name.data or "",
                days=form.days.data or 0,
                officer_id=current_officer().id,
            )
        except InvalidInput as error:
            form[error.field or "name"].errors = [str(error)]
        else:
            commit()
            flash(f"Tier {tier.name} saved", "success")
            return redirect(url_for("cadence_tiers.index"))
    return _show_edit(tier, form)


@blueprint.post("/<int:tier_id>/delete")
@requires(Permission.MANAGE_CADENCES)
def delete(tier_id: int) -> Response:
    if not DeleteTierForm().validate_on_submit():
        abort(400)
    tier = _tier_or_404(tier_id)
    name = tier.name
    used_by = cadence_tiers.delete_tier(db_session(), tier_id, officer_id=current_officer().id)
    commit()
    flash(
        f"Tier {name} deleted. {used_by} {'contact has' if used_by == 1 else 'contacts have'} "
        "no tier now",
        "success",
    )
    return redirect(url_for("cadence_tiers.index"))


def _show_list(form: CadenceTierForm) -> str:
    return render_template(
        "cadence_tiers/index.html", tiers=cadence_tiers.tiers_in_use(db_session()), form=form
    )


def _show_edit(tier: CadenceTier, form: CadenceTierForm) -> str:
    in_use = next(
        (
            item.contacts
            for item in cadence_tiers.tiers_in_use(db_session())
            if item.tier.id == tier.id
        ),
        0,
    )
    return render_template(
        "cadence_tiers/edit.html",
        tier=tier,
        form=form,
        in_use=in_use,
        delete_form=DeleteTierForm(formdata=None),
    )


def _tier_or_404(tier_id: int) -> CadenceTier:
    try:
        return cadence_tiers.get_tier(db_session(), tier_id)
    except NotFound:
        abort(404)
