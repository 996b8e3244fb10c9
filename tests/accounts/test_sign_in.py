"""Sign-in and portal sessions on SQLite and PostgreSQL: one message for every failure,
throttling per account and per address, a new session id each time, sessions ended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from accounts_support import OPERATOR, PASSWORD, AddUser
from sqlalchemy import select

from credstack.accounts import service, sessions
from credstack.accounts.errors import LoginFailed, Throttled
from credstack.accounts.service import SignIn
from credstack.errors import InvalidInput
from credstack.store.tables.accounts import SessionRow
from credstack.store.unit_of_work import Database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def sign_in(database: Database, email: str, password: str, *, address: str = "192.0.2.1",
            now: datetime = NOW) -> SignIn:
    with database.unit_of_work() as session:
        return service.authenticate(session, email=email, password=password, address=address,
                                    now=now)


def fail_times(database: Database, count: int, *, email: str = "ada@example.org",
               address: str = "192.0.2.1") -> None:
    for attempt in range(count):
        outcome = sign_in(database, email, "wrong password!", address=address,
                          now=NOW + timedelta(seconds=attempt))
        assert isinstance(outcome.error, LoginFailed)


def test_right_password_signs_in_and_records_the_time(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ada@example.org")
    outcome = sign_in(registry_db, "ADA@example.org", PASSWORD)
    assert outcome.error is None and outcome.user is not None
    assert outcome.user.last_login_at == NOW


def test_wrong_password_and_unknown_email_get_the_same_message(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ada@example.org")
    wrong_password = sign_in(registry_db, "ada@example.org", "not the password")
    unknown_email = sign_in(registry_db, "nobody@example.org", PASSWORD)
    assert str(wrong_password.error) == str(unknown_email.error) == LoginFailed.MESSAGE


def test_disabled_user_cannot_sign_in(registry_db: Database, add_user: AddUser) -> None:
    add_user("ada@example.org")
    with registry_db.unit_of_work() as session:
        service.disable_user(session, email="ada@example.org", actor=OPERATOR)
    assert isinstance(sign_in(registry_db, "ada@example.org", PASSWORD).error, LoginFailed)


def test_ten_failures_lock_the_account_even_with_the_right_password(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ada@example.org")
    fail_times(registry_db, 10)
    outcome = sign_in(registry_db, "ada@example.org", PASSWORD, address="198.51.100.7",
                      now=NOW + timedelta(seconds=30))
    assert isinstance(outcome.error, Throttled)
    assert "Try again in 1 minute" in str(outcome.error)


def test_nine_failures_still_let_the_right_password_in(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ada@example.org")
    fail_times(registry_db, 9)
    assert sign_in(registry_db, "ada@example.org", PASSWORD, now=NOW + timedelta(seconds=30)
                   ).user is not None


def test_the_wait_grows_with_each_further_failure(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ada@example.org")
    fail_times(registry_db, 10)
    after_wait = NOW + timedelta(minutes=1, seconds=10)
    assert isinstance(sign_in(registry_db, "ada@example.org", "still wrong!",
                              now=after_wait).error, LoginFailed)
    outcome = sign_in(registry_db, "ada@example.org", PASSWORD,
                      now=after_wait + timedelta(seconds=5))
    assert isinstance(outcome.error, Throttled)
    assert outcome.error.wait_seconds > 60


def test_an_address_trying_many_accounts_is_throttled(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ada@example.org")
    for number in range(10):
        fail_times(registry_db, 1, email=f"guess{number}@example.org", address="203.0.113.9")
    from_there = sign_in(registry_db, "ada@example.org", PASSWORD, address="203.0.113.9",
                         now=NOW + timedelta(seconds=20))
    from_elsewhere = sign_in(registry_db, "ada@example.org", PASSWORD, address="192.0.2.50",
                             now=NOW + timedelta(seconds=20))
    assert isinstance(from_there.error, Throttled)
    assert from_elsewhere.user is not None


def test_failures_older_than_fifteen_minutes_do_not_count(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ada@example.org")
    fail_times(registry_db, 10)
    later = NOW + timedelta(minutes=16)
    assert sign_in(registry_db, "ada@example.org", PASSWORD, now=later).user is not None


def start(database: Database, user_id: str, now: datetime = NOW) -> sessions.StartedSession:
    with database.unit_of_work() as session:
        return sessions.start(session, user_id=user_id, address="192.0.2.1", now=now)


def live(database: Database, secret: str, now: datetime = NOW) -> bool:
    with database.unit_of_work() as session:
        return sessions.resolve(session, secret=secret, now=now) is not None


def test_every_sign_in_gets_a_new_session_id_stored_only_hashed(
    registry_db: Database, add_user: AddUser
) -> None:
    user = add_user("ada@example.org")
    first, second = start(registry_db, user.id), start(registry_db, user.id)
    assert first.secret != second.secret and first.csrf_token != second.csrf_token
    with registry_db.read() as session:
        stored = set(session.scalars(select(SessionRow.id_hash)))
    assert first.secret not in stored and len(stored) == 2


def test_logout_ends_the_session(registry_db: Database, add_user: AddUser) -> None:
    started = start(registry_db, add_user("ada@example.org").id)
    with registry_db.unit_of_work() as session:
        sessions.end(session, secret=started.secret, reason="logout", now=NOW)
    assert not live(registry_db, started.secret)


@pytest.mark.parametrize("change", ["set_password", "disable"])
def test_password_change_and_disable_end_every_session(
    registry_db: Database, add_user: AddUser, change: str
) -> None:
    user = add_user("ada@example.org")
    started = [start(registry_db, user.id) for _ in range(2)]
    with registry_db.unit_of_work() as session:
        if change == "disable":
            service.disable_user(session, email=user.email, actor=OPERATOR, now=NOW)
        else:
            service.set_password(session, email=user.email, password="a new long password",
                                 actor=OPERATOR, now=NOW)
    assert not any(live(registry_db, item.secret) for item in started)


def test_a_session_expires_after_its_lifetime_and_when_idle(
    registry_db: Database, add_user: AddUser
) -> None:
    started = start(registry_db, add_user("ada@example.org").id)
    assert live(registry_db, started.secret, NOW + timedelta(hours=1))
    assert not live(registry_db, started.secret, NOW + timedelta(hours=3, minutes=5))
    busy = start(registry_db, add_user("bo@example.org").id)
    for hour in range(1, 12):
        assert live(registry_db, busy.secret, NOW + timedelta(hours=hour))
    assert not live(registry_db, busy.secret, NOW + sessions.LIFETIME)


def test_changing_ones_own_password_needs_the_current_one(
    registry_db: Database, add_user: AddUser
) -> None:
    actor = service.actor_of(add_user("ada@example.org"))
    with pytest.raises(InvalidInput, match="current_password"), \
            registry_db.unit_of_work() as session:
        service.change_own_password(session, actor=actor, current_password="not it at all",
                                    new_password="a new long password")
    with registry_db.unit_of_work() as session:
        service.change_own_password(session, actor=actor, current_password=PASSWORD,
                                    new_password="a new long password")
    assert sign_in(registry_db, "ada@example.org", "a new long password").user is not None
