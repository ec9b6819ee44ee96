"""Authentication and tickets: slow salted hashes compared in constant time, failed logins
rate-limited per source address and user (no lockout switch for an attacker, counted
atomically), tickets that expire and serve one company file, and structured
logs that name the session without carrying its ticket."""

from __future__ import annotations

import hmac
import io
import json
import logging
import secrets as secrets_module
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hard_support import payment_world

from connector.limits import FailedLogins
from connector.logs import make_handler
from connector.passwords import hash_password, verify_password
from connector.session import EXPIRED, QbwcSessions, default_ticket
from connector.settings import ConnectorSettings, ConnectorUser
from harness.world import HARNESS_USER, World
from qbwc_wire import ticket_ref


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


def fail(limiter: FailedLogins, source: str, user: str, now: float) -> bool:
    """One wrong password: False when it was refused unchecked."""
    if not limiter.begin(source, user, now):
        return False
    limiter.end(source, user, now, succeeded=False)
    return True


def test_failed_logins_are_limited_per_source_and_user() -> None:
    limiter = FailedLogins(max_failures=3, window_seconds=60)
    for t in (0, 1, 2):
        assert fail(limiter, "203.0.113.9", "alice", t)
    assert not limiter.begin("203.0.113.9", "alice", 3)
    assert limiter.begin("203.0.113.9", "bob", 3)  # per user
    assert limiter.begin("192.0.2.1", "alice", 3)  # per source: no lockout switch
    assert not fail(limiter, "203.0.113.9", "alice", 59.9)
    assert fail(limiter, "203.0.113.9", "alice", 60.0)  # the first failure left the window


def test_a_success_clears_the_sources_failures() -> None:
    limiter = FailedLogins(max_failures=3, window_seconds=60)
    assert fail(limiter, "a", "alice", 0) and fail(limiter, "a", "alice", 0)
    assert limiter.begin("a", "alice", 1)
    limiter.end("a", "alice", 1, succeeded=True)
    assert all(fail(limiter, "a", "alice", 2) for _ in range(3))


def test_the_failure_table_stays_bounded() -> None:
    limiter = FailedLogins(max_failures=3, window_seconds=60)
    limiter.MAX_TRACKED = 100
    for n in range(1000):
        fail(limiter, f"198.51.100.{n % 250}", f"spray-{n}", 0)
    assert len(limiter._failures) <= 100


def test_concurrent_guesses_cannot_race_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """32 threads guess at once: no more passwords are checked than the limit allows."""
    from connector.settings import ConnectorUser

    checked: list[str] = []
    real = ConnectorUser.check_password

    def counted(user: ConnectorUser, password: str) -> bool:
        checked.append(password)
        return real(user, password)

    monkeypatch.setattr(ConnectorUser, "check_password", counted)
    settings = ConnectorSettings(
        users=[{"username": "alice", "password": "right"}],
        app_base_url="http://localhost:9",
        max_failed_logins=5,
    )
    sessions = QbwcSessions(settings)
    start = threading.Barrier(32)

    def guess(n: int) -> str:
        start.wait()
        return sessions.authenticate("alice", f"guess-{n}", "203.0.113.9")[1]

    with ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(guess, range(32)))
    assert answers == ["nvu"] * 32
    assert len(checked) == 5


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


def test_an_attacker_elsewhere_cannot_lock_out_the_web_connector(limited_world: World) -> None:
    """Wrong passwords for the .qwc's user name from another address, again and again:
    the real Web Connector (its own address) still syncs."""
    world = limited_world
    sessions = world.connector.wsgi.sessions  # type: ignore[attr-defined]
    for round_ in range(3):
        for _ in range(10):
            assert sessions.authenticate(HARNESS_USER, "guess", "203.0.113.9")[1] == "nvu"
        world.app.record_payment(amount="10.00", mode="Cash", invoice="1001")
        assert world.sync().outcome.status == "completed", round_
        world.clock.advance(60)
    assert len(world.qbd.snapshot()["ReceivePayment"]) == 3


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
