"""Accounts commands: users, organization members, API tokens and the audit log.

The CLI has direct access to the database, so it acts as the system operator (named by
``CREDSTACK_ACTOR`` or the login name) and the audit log records it as such.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from credstack.accounts import audit, service, tokens
from credstack.accounts.files import read_password_file
from credstack.accounts.model import OrgRole, RegistryRole, Scope
from credstack.accounts.passwords import check_strength
from credstack.accounts.secret_values import parse_lifetime
from credstack.cli.common import (
    DbOption,
    JsonOption,
    console,
    emit_json,
    new_table,
    open_database,
    operator,
    print_table,
    user_errors,
)
from credstack.errors import InvalidInput, Problem

users = typer.Typer(help="User accounts (the CLI acts as the operator).", no_args_is_help=True)
orgs = typer.Typer(help="Organizations (registry providers) and their members.",
                   no_args_is_help=True)
members = typer.Typer(help="Members of an organization and their roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="Personal access tokens for the API.", no_args_is_help=True)
orgs.add_typer(members, name="members")

PasswordFileOption = Annotated[
    Path | None,
    typer.Option("--password-file", help="Read the password from this file's first line "
                 "(default: prompt). Never give a password on the command line."),
]


def _password(password_file: Path | None) -> str:
    if password_file is not None:
        password = read_password_file(password_file)
        check_strength(password, location=f"{password_file}: password")
        return password
    password = str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    check_strength(password)
    return password


@users.command("add")
def add_user(
    email: Annotated[str, typer.Argument(help="Email address (the sign-in name).")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    registry_admin: Annotated[
        bool, typer.Option("--registry-admin", help="Manages users, organizations, rule sets.")
    ] = False,
    reviewer: Annotated[
        bool, typer.Option("--reviewer", help="The quality reviewer: approves or returns.")
    ] = False,
    password_file: PasswordFileOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add a user; the first registry admin is made with --registry-admin."""
    roles = [role for role, wanted in ((RegistryRole.ADMIN, registry_admin),
                                       (RegistryRole.REVIEWER, reviewer)) if wanted]
    with user_errors():
        email = service.valid_email(email)
        password = _password(password_file)
        database = open_database(db)
        with database.unit_of_work() as session:
            user = service.add_user(session, email=email, display_name=name, password=password,
                                    registry_roles=roles, actor=operator())
    if json_output:
        emit_json(user.to_dict())
        return
    console.print(f"User {user.email} added" + (
        f" ({', '.join(sorted(role.value for role in user.registry_roles))})."
        if user.registry_roles else "."))


@users.command("list")
def list_users(db: DbOption = None, json_output: JsonOption = False) -> None:
    """List users with their roles."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            found = service.list_users(session, actor=operator())
    if json_output:
        emit_json([user.to_dict() for user in found])
        return
    table = new_table("email", "name", "roles", "state", "last sign-in")
    for user in found:
        roles = [role.value for role in sorted(user.registry_roles)] + [
            f"{role.value}@{organization}" for organization, role in user.memberships]
        table.add_row(user.email, user.display_name, ", ".join(roles) or "learner",
                      "disabled" if user.disabled else "active",
                      _stamp(user.last_login_at, missing="never"))
    print_table(table)


@users.command("disable")
def disable_user(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    db: DbOption = None,
) -> None:
    """Disable a user: sign-in refused, sessions ended, tokens refused."""
    with user_errors():
        database = open_database(db)
        with database.unit_of_work() as session:
            user = service.disable_user(session, email=email, actor=operator())
    console.print(f"User {user.email} disabled; their sessions are ended.")


@users.command("set-password")
def set_password(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    password_file: PasswordFileOption = None,
    db: DbOption = None,
) -> None:
    """Set a user's password (prompted, or from --password-file); ends their sessions."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            service.get_user(session, email=email)  # fail before prompting
        password = _password(password_file)
        with database.unit_of_work() as session:
            service.set_password(session, email=email, password=password, actor=operator())
    console.print(f"Password of {service.valid_email(email)} set; their sessions are ended.")


def _role(value: str) -> OrgRole:
    try:
        return OrgRole(value)
    except ValueError:
        expected = ", ".join(role.value for role in OrgRole)
        raise InvalidInput([Problem("--role", f"expected one of {expected}, got {value!r}")]) \
            from None


@members.command("add")
def add_member(
    organization: Annotated[str, typer.Argument(help="Organization (provider) id.")],
    email: Annotated[str, typer.Argument(help="The user's email.")],
    role: Annotated[str, typer.Option(help="org_admin, editor, assessor, issuer or endorser.")],
    db: DbOption = None,
) -> None:
    """Give a user a role in an organization."""
    with user_errors():
        chosen = _role(role)
        database = open_database(db)
        with database.unit_of_work() as session:
            user = service.add_member(session, email=email, organization_id=organization,
                                      role=chosen, actor=operator())
    console.print(f"{user.email} is {chosen.value} of {organization}.")


@members.command("remove")
def remove_member(
    organization: Annotated[str, typer.Argument(help="Organization (provider) id.")],
    email: Annotated[str, typer.Argument(help="The user's email.")],
    role: Annotated[str | None, typer.Option(help="Only this role (default: all).")] = None,
    db: DbOption = None,
) -> None:
    """Take a role (or every role) in an organization from a user."""
    with user_errors():
        chosen = _role(role) if role else None
        database = open_database(db)
        with database.unit_of_work() as session:
            removed = service.remove_member(session, email=email, organization_id=organization,
                                            role=chosen, actor=operator())
    console.print(f"{removed} role{'s' if removed != 1 else ''} removed.")


@members.command("list")
def list_members(
    organization: Annotated[str | None, typer.Argument(help="Organization (default: all).")]
    = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List members and their roles."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            found = service.list_members(session, organization_id=organization,
                                         actor=operator())
    if json_output:
        emit_json(found)
        return
    table = new_table("organization", "email", "role")
    for item in found:
        table.add_row(item["organization"], item["email"], item["role"])
    print_table(table)


@tokens_app.command("create")
def create_token(
    user: Annotated[str, typer.Option("--user", help="The token's user (email).")],
    scope: Annotated[Scope, typer.Option(help="read, write (includes read) or issue "
                                              "(includes read).")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    expires: Annotated[str | None, typer.Option(help="Lifetime, e.g. 90d, 12h, 2w "
                                                     "(default: none).")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Create an API token; its secret is printed once and never stored."""
    with user_errors():
        lifetime = parse_lifetime(expires, location="--expires") if expires else None
        database = open_database(db)
        with database.unit_of_work() as session:
            token, secret = tokens.create(session, email=user, name=name, scope=scope,
                                          lifetime=lifetime, actor=operator())
    if json_output:
        emit_json({**token.to_dict(), "token": secret})
        return
    console.print(f"Token {token.id} ({token.scope.value}) for {token.user_email}. "
                  "Copy it now; it is not shown again:")
    console.print(secret, markup=False, highlight=False)


@tokens_app.command("list")
def list_tokens(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List tokens (never their secrets)."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            found = tokens.list_tokens(session, email=user, actor=operator())
    if json_output:
        emit_json([token.to_dict() for token in found])
        return
    now = datetime.now(UTC)
    table = new_table("id", "user", "name", "prefix", "scope", "state", "expires", "last used")
    for token in found:
        state = "active" if token.active(now) else (
            "revoked" if token.revoked_at else "expired")
        table.add_row(token.id, token.user_email, token.name, token.prefix, token.scope.value,
                      state, _stamp(token.expires_at), _stamp(token.last_used_at))
    print_table(table)


def _stamp(value: datetime | None, missing: str = "-") -> str:
    return value.isoformat(timespec="minutes") if value else missing


@tokens_app.command("revoke")
def revoke_token(
    token_id: Annotated[str, typer.Argument(help="The token's id (from tokens list).")],
    db: DbOption = None,
) -> None:
    """Revoke a token: it is refused from now on."""
    with user_errors():
        database = open_database(db)
        with database.unit_of_work() as session:
            token = tokens.revoke(session, token_id=token_id, actor=operator())
    console.print(f"Token {token.id} of {token.user_email} revoked.")


def parse_since(text: str) -> datetime:
    """``--since``: an ISO date or time (UTC unless it says otherwise), or a duration ago."""
    if text and text[-1] in "hdw" and text[:-1].strip().isdigit():
        return datetime.now(UTC) - parse_lifetime(text, location="--since")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput([Problem("--since", "expected an ISO date or time "
                                    f"(2026-12-01, 2026-12-01T09:00) or 7d, 12h; got {text!r}")]) \
            from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def show_audit(
    since: Annotated[str | None, typer.Option(help="From this time (ISO) or this long ago "
                                                   "(7d, 12h).")] = None,
    actor_filter: Annotated[str | None, typer.Option("--actor", help="Only this actor "
                                                     "(email or user:EMAIL).")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action (e.g. login.failed).")]
    = None,
    org: Annotated[str | None, typer.Option(help="Only this organization's entries.")] = None,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Write the entries as CSV "
                                                  "to this file.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Read the audit log: every state change, who, when, from where."""
    with user_errors():
        moment = parse_since(since) if since else None
        database = open_database(db)
        with database.read() as session:
            found = audit.entries(session, viewer=operator(), since=moment,
                                  actor=actor_filter, action=action, organization_id=org)
    if csv_file is not None:
        csv_file.write_text(audit.to_csv(found), encoding="utf-8", newline="")
        console.print(f"{len(found)} entries written to {csv_file}.")
        return
    if json_output:
        emit_json([item.to_dict() for item in found])
        return
    table = new_table("at", "actor", "from", "action", "resource", "before", "after")
    for item in found:
        table.add_row(item.at.isoformat(timespec="seconds"), item.actor, item.address or "",
                      item.action, f"{item.resource_type} {item.resource_id or ''}".strip(),
                      item.version_before or "", item.version_after or "")
    print_table(table)


def register(app: typer.Typer) -> None:
    """Add ``users``, ``orgs``, ``tokens`` and ``audit`` to ``app``."""
    app.add_typer(users, name="users")
    app.add_typer(orgs, name="orgs")
    app.add_typer(tokens_app, name="tokens")
    app.command("audit")(show_audit)
