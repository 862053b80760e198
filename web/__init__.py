"""Weaver's web interface: a Flask app factory and one blueprint per area."""

from __future__ import annotations

from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from crm.config import Settings
from crm.database import Database
from web import errors, filters, security
from web.auth.access import init_access
from web.auth.session import init_login
from web.database import init_database
from web.extensions import csrf, limiter


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    settings = Settings.from_environment()
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        SERVICE_NAME="Weaver",
        IDLE_TIMEOUT_MINUTES=settings.idle_timeout_minutes,
        SESSION_LIFETIME_HOURS=settings.session_lifetime_hours,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        # Said every time: the limiter is one object shared by every app in a process, and
        # would otherwise carry the last app's choice into the next.
        RATELIMIT_ENABLED=True,
        TRUSTED_HOSTS=list(settings.trusted_hosts) or None,
        REPEATED_VIEW_THRESHOLD=settings.repeated_view_threshold,
        REPEATED_VIEW_DAYS=settings.repeated_view_days,
    )
    if test_config:
        app.config.update(test_config)

    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("web", "templates"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    if settings.proxy_hops:
        # Behind the council's reverse proxy: believe its X-Forwarded-* headers, no others.
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    init_database(app, Database(app.config["DATABASE_URL"]))
    csrf.init_app(app)
    limiter.init_app(app)
    WTFormsHelpers(app)
    init_login(app)
    init_access(app)
    filters.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from web.account.routes import blueprint as account
    from web.admin.routes import blueprint as admin
    from web.api.routes import blueprint as api
    from web.audit.routes import blueprint as audit
    from web.auth.routes import blueprint as auth
    from web.cadence_tiers.routes import blueprint as cadence_tiers
    from web.calendar.routes import blueprint as calendar
    from web.contact_import.routes import blueprint as contact_import
    from web.contacts.routes import blueprint as contacts
    from web.erasure.routes import blueprint as erasure
    from web.follow_ups.routes import blueprint as follow_ups
    from web.going_cold.routes import blueprint as going_cold
    from web.home.routes import blueprint as home
    from web.interactions.routes import blueprint as interactions
    from web.listening.routes import blueprint as listening
    from web.reminders.routes import blueprint as reminders
    from web.review.routes import blueprint as review
    from web.search.routes import blueprint as search
    from web.suggestions.routes import blueprint as suggestions

    blueprints = (
        auth,
        account,
        admin,
        audit,
        erasure,
        api,
        home,
        contacts,
        interactions,
        follow_ups,
        suggestions,
        going_cold,
        cadence_tiers,
        listening,
        review,
        search,
        contact_import,
        reminders,
        calendar,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
