"""Deny by default: every view says who may use it, or nobody can.

A view is either `@public` or `@requires(Permission.X)`. The check runs before every request,
so a view that forgot to say is refused (403) rather than open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from crm.permissions import Permission, can
from web.api.tokens import check_api_token
from web.extensions import login_manager

View = TypeVar("View", bound=Callable[..., Any])

PUBLIC_MARK = "_weaver_public"
# All an admin without a second factor can reach until they set one up.
SET_UP_ENDPOINTS = frozenset({"account.two_factor", "auth.sign_out"})
PERMISSION_MARK = "_weaver_permission"
TOKEN_MARK = "_weaver_token_permission"


def public(view: View) -> View:
    setattr(view, PUBLIC_MARK, True)
    return view


def requires(permission: Permission) -> Callable[[View], View]:
    def mark(view: View) -> View:
        setattr(view, PERMISSION_MARK, permission)
        return view

    return mark


def token_requires(permission: Permission) -> Callable[[View], View]:
    """For the JSON API: the caller shows an officer's API token, never a browser cookie."""

    def mark(view: View) -> View:
        setattr(view, TOKEN_MARK, permission)
        return view

    return mark


def rule_for(view: Callable[..., Any] | None) -> Permission | bool | None:
    """True for a public view, its permission otherwise, None if it declares neither."""
    if view is None:
        return None
    if getattr(view, PUBLIC_MARK, False):
        return True
    return getattr(view, PERMISSION_MARK, None) or getattr(view, TOKEN_MARK, None)


def init_access(app: Flask) -> None:
    app.before_request(_check_access)


def _check_access() -> Any:
    if request.endpoint is None:  # no such page: let the 404 handler answer
        return None
    if request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, TOKEN_MARK, None) is not None:
        return check_api_token(getattr(view, TOKEN_MARK))
    rule = rule_for(view)
    if rule is True:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if rule is None or not can(current_user.officer, rule):
        abort(403)
    if current_user.officer.must_set_up_two_factor and request.endpoint not in SET_UP_ENDPOINTS:
        flash("Admins must set up a second factor before using Weaver", "info")
        return redirect(url_for("account.two_factor"))
    return None
