"""Which sessions proved nothing (harness/runner/inconclusive.py), on transcripts written by
hand: an idle authenticate answer followed by a closeConnection that failed (guide p.21: QBWC
calls closeConnection after "none"; p.98: a fault there is QBWC1044), and a service that
turned every session away (p.62-63) in a scenario with no call of its own."""

from __future__ import annotations

from typing import Any

import pytest

from harness.runner.inconclusive import inconclusive_cause
from harness.webconnector.transcript import Outcome, SoapCall, Transcript

CLOSE_FAILED = Outcome(
    "error", "QBWC1044: CloseConnection failed due to error message. Internal Error", "QBWC1044"
)


def session(answer: list[str], outcome: Outcome, **fields: Any) -> Transcript:
    transcript = Transcript("app", "user", "2026-01-05T09:00:00", outcome=outcome, **fields)
    calls = [("serverVersion", None), ("clientVersion", ""), ("authenticate", answer)]
    if outcome.status != "busy":  # busy: QBWC calls no closeConnection
        calls.append(("closeConnection", None if outcome.code else "ok"))
    for seq, (method, result) in enumerate(calls, 1):
        call = SoapCall(seq, method, {}, "2026-01-05T09:00:00", result=result)
        call.error = "Internal Error" if method == "closeConnection" and outcome.code else None
        transcript.events.append(call)
    return transcript


def single_call() -> Transcript:
    transcript = Transcript("app", "user", "2026-01-05T09:00:00", outcome=Outcome("completed"))
    transcript.events.append(SoapCall(1, "sendRequestXML", {}, "2026-01-05T09:00:00", result=""))
    return transcript


def test_none_then_a_failed_close_is_still_nothing_to_do() -> None:
    cause, reason = inconclusive_cause(
        ["needs-work"], [session(["none", "none"], CLOSE_FAILED)]
    ) or ("", "")
    assert cause == "nothing-to-do"
    assert "answered 'none' (nothing to do), then QBWC1044" in reason


def test_a_postpone_then_a_failed_close_is_still_postponed() -> None:
    transcript = session(["ticket", "", "30"], CLOSE_FAILED, postpone_seconds=30)
    cause, _ = inconclusive_cause(["needs-work"], [transcript]) or ("", "")
    assert cause == "postponed"


@pytest.mark.parametrize(
    ("tags", "answer"),
    [
        (["needs-work"], ["nvu", "nvu"]),  # an nvu session is judged: its close failed
        (["needs-session"], ["none", "none"]),  # "none" is a session there: judged
        ([], ["none", "none"]),
    ],
)
def test_a_failed_close_is_judged_where_the_session_counts(
    tags: list[str], answer: list[str]
) -> None:
    assert inconclusive_cause(tags, [session(answer, CLOSE_FAILED)]) is None


def test_every_session_turned_away_by_a_service_not_ours_proved_nothing() -> None:
    busy = [session(["busy", "busy"], Outcome("busy", "Application busy")) for _ in range(2)]
    cause, reason = inconclusive_cause([], busy, external=True) or ("", "")
    assert cause == "busy" and "every session was turned away" in reason
    # the reference connector is new in each scenario: "busy" there is what was set up
    assert inconclusive_cause([], busy) is None
    # a call of the scenario's own (a ticket it forged) was still answered and judged
    assert inconclusive_cause([], [*busy, single_call()], external=True) is None
