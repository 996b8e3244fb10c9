"""Badge commands: issuer init/rotate/show, badges issue/issue-cohort/revoke/list/show/clr/
endorse, and verify."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import httpx
import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from credstack.badges import endorsement_store, issuer_store, service
from credstack.badges.canonical import DEFAULT_LIMITS
from credstack.badges.issuer_store import KeyRing, read_passphrase
from credstack.badges.verify_service import load_trust_list, verify
from credstack.cli.common import (
    EXIT_FAILED,
    DbOption,
    JsonOption,
    console,
    emit_json,
    fail,
    new_table,
    open_database,
    operator,
    print_table,
    user_errors,
)
from credstack.config import PASSPHRASE_FILE_ENV, data_dir
from credstack.errors import InvalidInput, Problem

FETCH_TIMEOUT = 10.0

issuer_app = typer.Typer(help="Issuer keys, did:key and did:web.", no_args_is_help=True)
badges_app = typer.Typer(help="Open Badges 3.0: issue, revoke, wallet, CLR.", no_args_is_help=True)

PassphraseOption = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help=f"File holding the key passphrase (default: ${PASSPHRASE_FILE_ENV}).",
        dir_okay=False,
    ),
]
KeyDirOption = Annotated[
    Path | None, typer.Option("--key-dir", help="Folder for key files (default: data dir/keys).")
]
ProviderOption = Annotated[str, typer.Option("--provider", help="Registry provider id.")]


def _passphrase(path: Path | None) -> str | None:
    return read_passphrase(path)


def _key_dir(path: Path | None) -> Path:
    return path or data_dir() / "keys"


def _print_issuer(info: dict[str, Any]) -> None:
    console.print(f"[bold]{info['name']}[/bold] ({info['provider']})")
    console.print(f"  issues as: {info['did']}")
    if info["did_web"]:
        console.print(f"  did:web:   {info['did_web']} (publish /.well-known/did.json)")
    console.print(f"  base URL:  {info['base_url']}")
    for key in info["keys"]:
        console.print(f"  key {key['state']:8} {key['did_key']}  file {key['key_file']}")


@issuer_app.command("init")
def issuer_init(
    provider: ProviderOption,
    key_dir: KeyDirOption = None,
    passphrase_file: PassphraseOption = None,
    did_web: Annotated[
        str | None, typer.Option("--did-web", help="host[:port][/path] for a did:web.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Public origin of achievements and status.")
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Create an Ed25519 key (file mode 0600), its did:key, and optionally a did:web."""
    with user_errors():
        database = open_database(db)
        with database.unit_of_work() as session:
            info = issuer_store.init_issuer(
                session,
                provider_id=provider,
                key_dir=_key_dir(key_dir),
                actor=operator(),
                passphrase=_passphrase(passphrase_file),
                did_web=did_web,
                base_url=base_url,
            )
    if json_output:
        emit_json(info.to_dict())
        return
    _print_issuer(info.to_dict())


@issuer_app.command("rotate")
def issuer_rotate(
    provider: ProviderOption,
    key_dir: KeyDirOption = None,
    passphrase_file: PassphraseOption = None,
    retire_previous: Annotated[
        bool, typer.Option(help="The old key is compromised: its badges stop verifying.")
    ] = False,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Create a new signing key; old badges keep verifying unless --retire-previous."""
    with user_errors():
        database = open_database(db)
        with database.unit_of_work() as session:
            info = issuer_store.rotate_key(
                session,
                provider_id=provider,
                key_dir=_key_dir(key_dir),
                actor=operator(),
                passphrase=_passphrase(passphrase_file),
                retire_previous=retire_previous,
            )
    if json_output:
        emit_json(info.to_dict())
        return
    _print_issuer(info.to_dict())


@issuer_app.command("show")
def issuer_show(
    provider: Annotated[str | None, typer.Option("--provider", help="Only this one.")] = None,
    did_document: Annotated[
        bool, typer.Option("--did-document", help="Print the did:web document.")
    ] = False,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show issuers (public facts only), or one issuer's did:web document."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            issuers = (
                [issuer_store.get_issuer(session, provider_id=provider)]
                if provider
                else issuer_store.list_issuers(session)
            )
            if did_document:
                if len(issuers) != 1:
                    fail("--did-document needs --provider")
                emit_json(issuers[0].did_web_document())
                return
    if json_output:
        emit_json([info.to_dict() for info in issuers])
        return
    for info in issuers:
        _print_issuer(info.to_dict())


def _write_or_print(credential: dict[str, Any] | str, output: Path | None) -> None:
    text = credential if isinstance(credential, str) else json.dumps(credential, indent=2)
    if output is None:
        typer.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")


def _valid_for(days: int | None) -> timedelta | None:
    if days is not None and days <= 0:
        raise InvalidInput([Problem("--valid-days", "expected a positive number of days")])
    return timedelta(days=days) if days else None


FormatOption = Annotated[str, typer.Option("--format", help="di (eddsa-rdfc-2022) or jwt.")]
SuspendableOption = Annotated[
    bool,
    typer.Option(help="Status entry for suspension (suspend/reinstate) instead of revocation."),
]
ValidDaysOption = Annotated[
    int | None, typer.Option("--valid-days", help="validUntil this many days after issue.")
]


@badges_app.command("issue")
def badges_issue(
    assessment_id: Annotated[str, typer.Argument(help="A competent assessment's id.")],
    fmt: FormatOption = "di",
    suspendable: SuspendableOption = False,
    valid_days: ValidDaysOption = None,
    passphrase_file: PassphraseOption = None,
    output: Annotated[Path | None, typer.Option("--output", help="Write the badge here.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Issue a signed OpenBadgeCredential for a competent assessment."""
    with user_errors():
        database = open_database(db)
        with database.unit_of_work() as session:
            badge = service.issue_badge(
                session,
                assessment_id=assessment_id,
                keys=KeyRing(_passphrase(passphrase_file)),
                actor=operator(),
                fmt=fmt,
                status_purpose="suspension" if suspendable else "revocation",
                valid_for=_valid_for(valid_days),
            )
    if output is not None:
        _write_or_print(badge.credential, output)
    if json_output:
        emit_json({"badge": badge.summary(), "credential": badge.credential})
        return
    console.print(f"Issued badge {badge.id} to {badge.learner_id} ({badge.format}).")


@badges_app.command("issue-cohort")
def badges_issue_cohort(
    credential: Annotated[str, typer.Option("--credential", help="Micro-credential id.")],
    fmt: FormatOption = "di",
    suspendable: SuspendableOption = False,
    valid_days: ValidDaysOption = None,
    passphrase_file: PassphraseOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Issue badges to every competent learner of a micro-credential who has none yet."""
    with user_errors():
        database = open_database(db)
        keys = KeyRing(_passphrase(passphrase_file))
        with database.unit_of_work() as session:
            ids = service.cohort_assessments(
                session, credential_id=credential, actor=operator()
            )
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                disable=json_output or not ids,
            ) as progress:
                task = progress.add_task("Issuing", total=len(ids))
                badges = service.issue_badges(
                    session,
                    assessment_ids=ids,
                    keys=keys,
                    actor=operator(),
                    fmt=fmt,
                    status_purpose="suspension" if suspendable else "revocation",
                    valid_for=_valid_for(valid_days),
                    on_progress=lambda done, _total: progress.update(task, completed=done),
                )
    if json_output:
        emit_json([badge.summary() for badge in badges])
        return
    console.print(f"Issued {len(badges)} badge(s) for {credential}.")


@badges_app.command("revoke")
def badges_revoke(
    badge_id: Annotated[str, typer.Argument(help="Badge (credential) id.")],
    suspend: Annotated[bool, typer.Option(help="Suspend (suspendable badges).")] = False,
    reinstate: Annotated[bool, typer.Option(help="Lift a suspension.")] = False,
    reason: Annotated[str | None, typer.Option(help="Why (kept in the registry).")] = None,
    passphrase_file: PassphraseOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Revoke (or suspend / reinstate) a badge by flipping its status list bit."""
    if suspend and reinstate:
        fail("choose --suspend or --reinstate, not both")
    with user_errors():
        database = open_database(db)
        with database.unit_of_work() as session:
            badge = service.change_state(
                session,
                badge_id=badge_id,
                keys=KeyRing(_passphrase(passphrase_file)),
                actor=operator(),
                suspend=suspend,
                reinstate=reinstate,
                reason=reason,
            )
    if json_output:
        emit_json(badge.summary())
        return
    console.print(f"Badge {badge.id} is now {badge.state}.")


@badges_app.command("list")
def badges_list(
    learner: Annotated[str, typer.Option("--learner", help="Learner id.")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """A learner's wallet: every badge and its state."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            items = [badge.summary() for badge in service.wallet(
                session, learner_id=learner, actor=operator()
            )]
    if json_output:
        emit_json(items)
        return
    table = new_table("id", "micro-credential", "issued", "format", "state")
    for item in items:
        table.add_row(
            item["id"],
            item["name"] or item["micro_credential"],
            item["issued_at"],
            item["format"],
            item["state"],
        )
    print_table(table)


@badges_app.command("show")
def badges_show(
    badge_id: Annotated[str, typer.Argument(help="Badge (credential) id.")],
    output: Annotated[Path | None, typer.Option("--output", help="Write the badge here.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Print (or save) a badge: the signed JSON, or the VC-JWT."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            badge = service.get_badge(session, badge_id=badge_id, actor=operator())
    if json_output:
        emit_json({"badge": badge.summary(), "credential": badge.credential})
        return
    _write_or_print(badge.credential, output)


@badges_app.command("clr")
def badges_clr(
    learner: Annotated[str, typer.Argument(help="Learner id.")],
    issuer: Annotated[
        str | None, typer.Option("--issuer", help="Provider signing the CLR.")
    ] = None,
    passphrase_file: PassphraseOption = None,
    output: Annotated[Path | None, typer.Option("--output", help="Write the CLR here.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """A signed CLR 2.0 ClrCredential of a learner's active badges."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            clr = service.build_clr(
                session,
                learner_id=learner,
                keys=KeyRing(_passphrase(passphrase_file)),
                actor=operator(),
                issuer_provider=issuer,
            )
    if json_output:
        emit_json(clr)
        return
    _write_or_print(clr, output)


@badges_app.command("endorse")
def badges_endorse(
    credential: Annotated[str, typer.Argument(help="Micro-credential id.")],
    endorser: Annotated[
        str,
        typer.Option("--endorser", help="Endorsing organization (a provider set up as an issuer)."),
    ],
    comment: Annotated[str, typer.Option("--comment", help="The endorsement text.")],
    passphrase_file: PassphraseOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Sign an EndorsementCredential by an industry body for a micro-credential."""
    with user_errors():
        database = open_database(db)
        with database.unit_of_work() as session:
            signed = endorsement_store.endorse(
                session,
                credential_id=credential,
                endorser_id=endorser,
                comment=comment,
                keys=KeyRing(_passphrase(passphrase_file)),
                actor=operator(),
            )
    if json_output:
        emit_json(signed)
        return
    console.print(f"Endorsement {signed['id']} by {endorser} stored.")


def _allowed_origins(session: Any, extra: list[str]) -> set[str]:
    origins = {issuer.base_url for issuer in issuer_store.list_issuers(session)}
    return origins | {origin.rstrip("/") for origin in extra}


def _fetch(url: str, allowed: set[str]) -> bytes:
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin not in allowed:
        raise InvalidInput(
            [Problem("FILE_OR_URL", f"{origin} is not this registry's server; add --allow-origin")]
        )
    limit = DEFAULT_LIMITS.max_json_bytes
    try:
        with httpx.stream("GET", url, timeout=FETCH_TIMEOUT, follow_redirects=False) as response:
            response.raise_for_status()
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > limit:
                    raise InvalidInput([Problem("FILE_OR_URL", f"larger than {limit} bytes", url)])
    except httpx.HTTPError as error:
        raise InvalidInput([Problem("FILE_OR_URL", f"cannot fetch: {error}", url)]) from None
    return bytes(body)


def _read_input(source: str, session: Any, allow_origin: list[str]) -> bytes:
    if source.startswith(("http://", "https://")):
        return _fetch(source, _allowed_origins(session, allow_origin))
    path = Path(source)
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_json_bytes:
            raise InvalidInput([Problem("", "file is too large to be a credential", source)])
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput([Problem("", f"cannot read: {error.strerror}", source)]) from None


def verify_command(
    source: Annotated[str, typer.Argument(metavar="FILE_OR_URL", help="Credential file or URL.")],
    trust_list: Annotated[
        Path | None, typer.Option("--trust-list", help="JSON file of trusted DID documents.")
    ] = None,
    allow_origin: Annotated[
        list[str] | None, typer.Option("--allow-origin", help="Another server to fetch from.")
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Verify a badge, CLR or endorsement; exit 1 when any check fails.

    Limits: at most 2,000,000 bytes, 64 levels of nesting, 100,000 JSON values and
    1,000 items in any one array, and 2 s of JSON-LD work (expansion, RDF,
    canonicalization, hashing). A repeated JSON key, a member that canonicalization
    drops (an undefined term, an @-key that is not a keyword, a null value, a relative
    IRI) or any failing proof of a proof set fails verification. Checks that did not
    run are shown as "not run", with why.
    """
    with user_errors():
        database = open_database(db)
        documents = load_trust_list(trust_list) if trust_list else None
        with database.read() as session:
            data = _read_input(source, session, allow_origin or [])
            report = verify(session, credential=data, trust_documents=documents)
    if json_output:
        emit_json(report.to_json())
    else:
        marks = {"passed": "[green]pass[/green]   ", "failed": "[red]FAIL[/red]   ",
                 "not run": "[dim]not run[/dim]"}
        for check in report.checks:
            console.print(f"{marks[check.result]} {check.name:15} {escape(check.reason)}",
                          highlight=False)
        console.print("verified" if report.verified else "[red]not verified[/red]")
    if not report.verified:
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Add the issuer and badges command groups and the verify command."""
    app.add_typer(issuer_app, name="issuer")
    app.add_typer(badges_app, name="badges")
    app.command("verify")(verify_command)
