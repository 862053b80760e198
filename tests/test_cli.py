"""The `crm` command as an operator uses it."""

from __future__ import annotations

import re

from click.testing import CliRunner
from sqlalchemy import select

from crm import migrate
from crm.cli import cli
from crm.database import Database
from crm.models import Contact, Officer, OfficerRole
from crm.services.officers import authenticate
from crm.unit_of_work import unit_of_work


def test_user_create_makes_an_admin_who_can_sign_in(database: Database, environment) -> None:
    result = CliRunner().invoke(
        cli,
        ["user", "create", "--email", "Lead@Council.example", "--name", "Team Lead", "--admin"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created admin lead@council.example" in result.output
    with unit_of_work(database.session_factory) as session:
        officer = authenticate(session, "lead@council.example", "a long enough password")
        assert officer is not None
        assert officer.role is OfficerRole.ADMIN


def test_user_create_explains_a_weak_password_without_a_traceback(database, environment) -> None:
    result = CliRunner().invoke(
        cli,
        ["user", "create", "--email", "a@council.example", "--name", "A", "--password", "short"],
    )
    assert result.exit_code == 1
    assert "Error: Password must be 12 characters or more" in result.output
    with unit_of_work(database.session_factory) as session:
        assert session.scalars(select(Officer)).first() is None


def test_demo_prepares_a_sqlite_database_and_prints_how_to_sign_in(tmp_path, monkeypatch) -> None:
    instance = tmp_path / "instance"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("WEAVER_INSTANCE_PATH", str(instance))
    runner = CliRunner()

    first = runner.invoke(cli, ["demo", "--no-serve", "--port", "5123"])
    second = runner.invoke(cli, ["demo", "--no-serve", "--port", "5123"])

    assert first.exit_code == 0, first.output
    assert "Loaded the demo borough: 40 organisations, 80 people" in first.output
    assert "Weaver is running at http://127.0.0.1:5123/" in first.output
    assert "Loaded the demo borough" not in second.output
    password = re.search(r"with the password (\S+)", second.output).group(1)
    database = Database(f"sqlite:///{instance / 'weaver.sqlite3'}")
    assert migrate.is_up_to_date(database.engine)
    with unit_of_work(database.session_factory) as session:
        assert authenticate(session, "demo.officer@brackenford.example", password) is not None
        assert len(session.scalars(select(Contact)).all()) == 121
    database.dispose()
