"""The `crm` command: everything an operator does, in one place.

This module holds the CRM's own commands; the web and collectors packages add theirs through
the `weaver.commands` entry point group (and `weaver.import_commands` for `crm import ...`),
so crm never imports them.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import click

from crm import migrate
from crm.config import Settings
from crm.contact_import_command import import_contacts_command
from crm.database import Database
from crm.errors import WeaverError
from crm.models import OfficerRole
from crm.services.officers import create_officer, deactivate, officer_by_email
from crm.unit_of_work import unit_of_work


def open_database() -> Database:
    return Database(Settings.from_environment().database_url)


class WeaverGroup(click.Group):
    """Shows a domain error as one plain line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except WeaverError as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=WeaverGroup, help="Weaver: relationships and listening for council engagement.")
def cli() -> None:
    pass


@cli.group(help="Look after the database.")
def db() -> None:
    pass


@db.command("upgrade", help="Bring the database to the newest schema, keeping its data.")
def db_upgrade() -> None:
    with open_database() as database:
        before = migrate.current_revision(database.engine)
        migrate.upgrade(database.engine)
        after = migrate.current_revision(database.engine)
    message = "already up to date" if before == after else f"upgraded from {before or 'empty'}"
    click.echo(f"Database {message} (schema {after}).")


@cli.group(help="Manage officers' accounts.")
def user() -> None:
    pass


@user.command("create", help="Create an officer account. Asks for the password.")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--admin", is_flag=True, help="Give the officer the admin role.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in OfficerRole]),
    default=OfficerRole.OFFICER.value,
    show_default=True,
    help="The officer's role (--admin is short for --role admin).",
)
@click.password_option(help="At least 12 characters. Leave out to be asked.")
def user_create(email: str, name: str, admin: bool, role: str, password: str) -> None:
    role = OfficerRole.ADMIN if admin else OfficerRole(role)
    with open_database() as database:
        migrate.require_up_to_date(database.engine)
        with unit_of_work(database.session_factory) as session:
            officer = create_officer(session, email=email, name=name, password=password, role=role)
            click.echo(f"Created {officer.role.value} {officer.email}.")


@user.command("deactivate", help="Stop an officer signing in and end their sessions now.")
@click.argument("email")
def user_deactivate(email: str) -> None:
    with open_database() as database, unit_of_work(database.session_factory) as session:
        officer = officer_by_email(session, email)
        if officer is None:
            raise click.ClickException(f"No officer with the email {email}")
        deactivate(session, officer, changed_by_id=None)
    click.echo(f"Deactivated {officer.email}: their sessions have ended.")


@cli.group("import", help="Bring data in from files.")
def import_group() -> None:
    pass


import_group.add_command(import_contacts_command)


def _add_plugin_commands(group: click.Group, entry_point_group: str) -> None:
    for entry_point in entry_points(group=entry_point_group):
        group.add_command(entry_point.load(), entry_point.name)


_add_plugin_commands(cli, "weaver.commands")
_add_plugin_commands(import_group, "weaver.import_commands")


def main() -> None:
    cli()
