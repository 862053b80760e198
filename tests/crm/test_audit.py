"""The audit log records who did what, and nobody can change it afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from crm.clock import utc_now
from crm.database import Database
from crm.models import AuditAction, AuditEvent, InteractionKind, OfficerRole
from crm.services import audit
from crm.services.interactions import record_interaction
from crm.services.officers import change_role, deactivate
from crm.unit_of_work import unit_of_work
from tests import factories


def test_the_log_refuses_updates_and_deletes(database: Database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session)  # creating an officer is itself audited
    for statement in (update(AuditEvent).values(summary="tampered"), delete(AuditEvent)):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            unit_of_work(database.session_factory) as session,
        ):
            session.execute(statement)
    with unit_of_work(database.session_factory) as session:
        summaries = session.scalars(select(AuditEvent.summary)).all()
        assert len(summaries) == 1
        assert summaries[0].startswith("Created officer ")


def test_logging_an_interaction_is_audited_with_what_was_logged(session) -> None:
    officer = factories.officer(session)
    group = factories.organisation(session, "Saltings Lunch Club")
    logged = record_interaction(
        session,
        officer_id=officer.id,
        contact_ids=[group.id],
        kind=InteractionKind.CALL,
        occurred_at=utc_now(),
        note="Rang about the hall",
    )
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.subject_type == "interaction")
    ).one()
    assert event.officer_id == officer.id
    assert event.action is AuditAction.CREATED
    assert event.subject_id == logged.interaction.id
    assert event.after["text"] == "Rang about the hall"
    assert event.after["contact_ids"] == [group.id]
    assert "Saltings Lunch Club" in event.summary


def test_changes_to_an_officer_keep_before_and_after(session) -> None:
    admin = factories.officer(session, email="admin@council.example", role=OfficerRole.ADMIN)
    officer = factories.officer(session, email="jo@council.example")
    change_role(session, officer, OfficerRole.TEAM_LEAD, changed_by_id=admin.id)
    deactivate(session, officer, changed_by_id=admin.id)

    changes = session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.CHANGED).order_by(AuditEvent.id)
    ).all()
    assert [(c.before, c.after) for c in changes] == [
        ({"role": "officer"}, {"role": "team_lead"}),
        ({"is_active": True}, {"is_active": False}),
    ]
    assert {c.officer_id for c in changes} == {admin.id}


def test_viewing_a_person_is_recorded_but_not_an_organisation(session) -> None:
    officer = factories.officer(session)
    group = factories.organisation(session)
    person = factories.person(session, "Jo Private")
    audit.record_view(session, officer.id, group)
    audit.record_view(session, officer.id, person)
    views = session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.VIEWED)).all()
    assert [(v.subject_id, v.officer_id) for v in views] == [(person.id, officer.id)]


def test_repeated_viewing_of_one_person_is_flagged_for_review(session) -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    watcher = factories.officer(session, email="watcher@council.example", name="Watcher")
    other = factories.officer(session, email="other@council.example")
    person = factories.person(session, "Jo Private")
    someone_else = factories.person(session, "Sam Other")

    def view(officer, contact, days_ago: float) -> None:
        session.add(
            AuditEvent(
                officer_id=officer.id,
                action=AuditAction.VIEWED,
                subject_type="contact",
                subject_id=contact.id,
                summary="Viewed",
                occurred_at=now - timedelta(days=days_ago),
            )
        )

    for days_ago in (0.1, 1, 2, 3, 6):
        view(watcher, person, days_ago)
    view(watcher, person, 30)  # outside the window
    for days_ago in (0.1, 1, 2, 3):
        view(other, person, days_ago)  # below the threshold
        view(watcher, someone_else, days_ago)
    session.flush()

    flagged = audit.repeated_views(session, days=7, threshold=5, now=now)

    assert [(f.officer.name, f.contact_name, f.views) for f in flagged] == [
        ("Watcher", "Jo Private", 5)
    ]
    assert flagged[0].last_viewed_at == now - timedelta(days=0.1)
