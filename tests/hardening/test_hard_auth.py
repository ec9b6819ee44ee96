"""Authentication and tickets: slow salted hashes compared in constant time, failed logins
rate-limited per user, tickets that expire and serve one company file, and structured
logs that name the session without carrying its ticket."""

from __future__ import annotations

import hmac
import io
import json
import logging
import secrets as secrets_module
from collections.abc import Iterator
from typing import Any

import pytest
from hard_support import payment_world

from connector.limits import FailedLogins
from connector.logs import make_handler, ticket_ref
from connector.passwords import hash_password, verify_password
from connector.session import EXPIRED, default_ticket
from connector.settings import ConnectorSettings, ConnectorUser
from harness.world import HARNESS_USER, World


def test_passwords_are_salted_scrypt_hashes_checked_in_constant_time(monkeypatch) -> None:
    first, second = hash_password("pw-1"), hash_password("pw-1")
    assert first != second and first.startswith("scrypt$")  # a fresh salt each time
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert verify_password("pw-1", first) and not verify_password("pw-2", first)
    assert len(compared) == 2
    user = ConnectorUser(username="u", password="plain-text-pw")
    assert "plain-text-pw" not in repr(user) and "plain-text-pw" not in user.password
    settings = ConnectorSettings(users=[user], app_base_url="http://localhost:9")
    assert "plain-text-pw" not in repr(settings) + settings.model_dump_json()


def test_tickets_are_unguessable() -> None:
    tickets = {default_ticket() for _ in range(1000)}
    assert len(tickets) == 1000
    # 32 random bytes (token_urlsafe): 256 bits, nothing derived from time or a counter.
    assert all(len(t) >= 43 for t in tickets)
    assert secrets_module.token_urlsafe.__module__ == "secrets"


def test_failed_logins_are_limited_per_user() -> None:
    limiter = FailedLogins(max_failures=3, window_seconds=60)
    for t in (0, 1, 2):
        assert not limiter.blocked("alice", t)
        limiter.record_failure("alice", t)
    assert limiter.blocked("alice", 3)
    assert not limiter.blocked("bob", 3)  # per user
    assert limiter.blocked("alice", 59.9)
    assert not limiter.blocked("alice", 60.0)  # the first failure left the window
    limiter.succeeded("alice")
    assert not limiter.blocked("alice", 1)


def test_the_failure_table_stays_bounded() -> None:
    limiter = FailedLogins(max_failures=3, window_seconds=60)
    limiter.MAX_TRACKED = 100
    for n in range(1000):
        limiter.record_failure(f"spray-{n}", 0)
    assert len(limiter._failures) <= 100


@pytest.fixture
def limited_world() -> Iterator[World]:
    world = payment_world(
        connector_config={"max_failed_logins": 3, "failed_login_window_seconds": 120}
    )
    yield world
    world.close()


def test_right_password_refused_while_a_user_is_locked_out(limited_world: World) -> None:
    world = limited_world
    world.app.record_payment(amount="10.00", mode="Cash", invoice="1001")
    for _ in range(3):
        assert world.sync(password="guess").outcome.status == "nvu"
    locked = world.sync()
    assert locked.outcome.status == "nvu"  # the right password, refused during the lockout
    assert world.qbd.snapshot().get("ReceivePayment", []) == []
    world.clock.advance(121)
    assert world.sync().outcome.status == "completed"
    assert len(world.qbd.snapshot()["ReceivePayment"]) == 1


def test_a_success_clears_the_failures(limited_world: World) -> None:
    world = limited_world
    for _ in range(2):
        assert world.sync(password="guess").outcome.status == "nvu"
    assert world.sync().outcome.status in {"completed", "nothing_to_do", "none"}
    for _ in range(2):
        assert world.sync(password="guess").outcome.status == "nvu"
    world.app.record_payment(amount="10.00", mode="Cash", invoice="1001")
    assert world.sync().outcome.status == "completed"


def _session_until(world: World, method: str) -> tuple[Iterator[Any], str]:
    web_connector = world.stations["default"].web_connector
    assert web_connector is not None
    steps = web_connector.steps()
    for transcript in steps:
        if transcript.methods()[-1] == method:
            ticket = next(
                e.result[0] for e in transcript.events if getattr(e, "method", "") == "authenticate"
            )
            return steps, ticket
    raise AssertionError(f"no {method}")


def test_an_idle_ticket_expires(tmp_path) -> None:
    world = payment_world(connector_config={"ticket_timeout_seconds": 600})
    try:
        world.app.record_payment(amount="10.00", mode="Cash", invoice="1001")
        steps, ticket = _session_until(world, "sendRequestXML")
        world.clock.advance(601)
        transcript = next(reversed(list(steps)), None)
        assert transcript is not None and transcript.outcome.status == "error"
        assert EXPIRED in transcript.outcome.message
        store = world.connector.wsgi.sessions.store  # type: ignore[attr-defined]
        assert store.get_ticket(ticket).closed_at is not None
        # Nothing was lost: the next run sends the payment once.
        assert world.sync().outcome.status == "completed"
        assert len(world.qbd.snapshot()["ReceivePayment"]) == 1
    finally:
        world.close()


def test_a_closed_ticket_stays_closed() -> None:
    world = payment_world()
    try:
        old = world.transcripts[-1]
        assert old.outcome.status == "completed"
        ticket = next(e.result[0] for e in old.events if getattr(e, "method", "") == "authenticate")
        replay = world.soap_call("getLastError", ticket=ticket)
        assert replay.outcome.message == "Unknown or closed ticket: start a new session."
        again = world.soap_call("closeConnection", ticket=ticket)
        assert again.outcome.message == "Unknown or closed ticket: start a new session."
    finally:
        world.close()


def test_logs_name_the_session_and_company_but_not_the_ticket() -> None:
    stream = io.StringIO()
    handler = make_handler("json", stream)
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        world = payment_world()
        world.app.record_payment(amount="10.00", mode="Cash", invoice="1001")
        transcript = world.sync()
        world.close()
    finally:
        root.removeHandler(handler)
        root.setLevel(saved)
    ticket = next(
        e.result[0] for e in transcript.events if getattr(e, "method", "") == "authenticate"
    )
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    calls = [line for line in lines if line.get("event") == "soap_call"]
    sends = [line for line in calls if line.get("method") == "sendRequestXML"]
    assert all(line.get("ticket_ref") for line in sends)
    ours = [line for line in sends if line["ticket_ref"] == ticket_ref(ticket)]
    assert len(ours) == len(transcript.qbxml)
    company = world.qbd.settings.company_file
    assert all(line["company"] == company for line in ours)
    assert {line["method"] for line in calls} >= {"authenticate", "receiveResponseXML"}
    assert ticket not in stream.getvalue()
    assert HARNESS_USER  # the user name may be logged; passwords never (test_hard_secrets)
