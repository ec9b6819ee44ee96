"""When a scenario that ran proved nothing about the connector, and why.

Two things make a run say nothing, whatever its expectations found, and a third makes a
pass say nothing (a fourth, a step that did not set up its race, is below):

- the simulated QuickBooks was asked a valid request it does not model (its
  ``NotModeledError``): the service was told QuickBooks failed it, which real QuickBooks would
  not have done, so what followed is not the connector's doing (QBWC-FACTS.md, "What the
  guide allows");
- a scenario tagged ``needs-work`` (it measures what a service does with work to do) met a
  service that had none: authenticate answered "none" or "busy" or postponed the update
  (guide p.62-63, all allowed answers), or the session handed QuickBooks no request at all;
  a closeConnection that then failed (QBWC1044) does not make such a session measured: it
  is judged where the session's end is (the nvu and closed-ticket scenarios);
- a fault the scenario planted (a Web Connector fault, or a QuickBooks status fault) never
  fired: the scenario passed without the trouble it is about. A failure stands (with a
  warning): the connector may be why the fault was not reached, e.g. it never sent the
  request the fault was aimed at.

A step that did not set up what the scenario is about makes the run say nothing whatever
its checks found: a ``concurrent_sync`` whose first Web Connector was to hold a request it
was handed (``first_holds``) and never was handed one (``request_not_handed``).
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.webconnector.errors import METHOD_FAILURE_CODES
from harness.webconnector.transcript import Transcript

#: The tag of a scenario that needs the service to have something to do.
NEEDS_WORK = "needs-work"
#: The tag of a scenario that needs a session the service lets in (not busy or postponed);
#: "none" is fine there (a session that ends at once still issues and closes a ticket).
NEEDS_SESSION = "needs-session"

#: authenticate answers after which a session has no work to judge (guide p.62-63).
_IDLE = {
    "none": ("nothing-to-do", "authenticate answered 'none' (nothing to do)"),
    "busy": ("busy", "authenticate answered 'busy'"),
    "postponed": ("postponed", "authenticate postponed the update"),
}
_NOT_LET_IN = {"busy", "postponed"}
#: The tag of a scenario that judges the answer to a login: "none" or "busy" there means the
#: service turned the login away before judging the password (a rate limit, a lock), so
#: the scenario proves nothing about it (a real QBWC shows "No Data Exchange required").
NEEDS_LOGIN = "needs-login"
_LOGIN_NOT_JUDGED = {"none", "busy"}

#: The Web Connector's code for a closeConnection that failed (guide p.98).
CLOSE_FAILED = METHOD_FAILURE_CODES["closeConnection"]

_HINT = "give the service work before this scenario (a queued request it will send)"


def inconclusive_cause(
    tags: Sequence[str], transcripts: Sequence[Transcript], *, external: bool = False
) -> tuple[str, str] | None:
    """``(cause, reason)`` when these sessions proved nothing, else None. Against a service
    that is not ours (``external``), any scenario whose every session was turned away
    ("busy", a postpone: guide p.62-63), with no call of its own, proved nothing, whatever
    its tags: that service outlives the scenarios, and an earlier one may hold its lock
    (the reference connector is new in each scenario, where "busy" is what a scenario set
    up)."""
    unmodeled = sorted({x.not_modeled for t in transcripts for x in t.qbxml if x.not_modeled})
    if unmodeled:
        names = ", ".join(unmodeled)
        return (
            "not-modeled",
            f"the simulated QuickBooks does not model {names}: the service was told QuickBooks "
            "failed the request (real QuickBooks would have answered it), so nothing after it "
            "is held against the service",
        )
    sessions = [t for t in transcripts if "authenticate" in t.methods()]
    found = _idle_for_tags(tags, sessions)
    away = [t.outcome.status for t in sessions if t.outcome.status in _NOT_LET_IN]
    if found is None and external and away and len(away) == len(transcripts):
        cause, said = _IDLE[away[0]]
        return cause, f"every session was turned away ({said}): nothing was exchanged"
    return found


def _idle_for_tags(tags: Sequence[str], sessions: Sequence[Transcript]) -> tuple[str, str] | None:
    """What a scenario's tags say these sessions (each one past authenticate) left unproved."""
    needs_work = NEEDS_WORK in tags
    idle_states = (
        set(_IDLE)
        if needs_work
        else (_NOT_LET_IN if NEEDS_SESSION in tags else set())
        | (_LOGIN_NOT_JUDGED if NEEDS_LOGIN in tags else set())
    )
    if not idle_states:
        return None
    for index, transcript in enumerate(sessions, 1):
        status = _turned_idle(transcript) if needs_work else transcript.outcome.status
        if status in idle_states:
            cause, said = _IDLE[status]
            if transcript.outcome.status != status:  # its closeConnection failed
                said = f"{said}, then {transcript.outcome.message}"
            if needs_work:
                need = f"work to judge: {_HINT}"
            elif status in _NOT_LET_IN and NEEDS_SESSION in tags:
                need = "a session the service lets in"
            else:
                need = "the service to judge the login"
            return cause, f"session {index}: {said}; this scenario needs {need}"
    if not needs_work:
        return None
    # A session let in that asked nothing of QuickBooks ("" or "NoOp", getLastError, close)
    # and failed no call: the service had nothing to do, whatever authenticate said.
    empty = [
        t
        for t in sessions
        if "sendRequestXML" in t.methods()
        and not t.qbxml
        and "connectionError" not in t.methods()
        and t.outcome.code is None
    ]
    if sessions and len(empty) == len(sessions):
        return (
            "nothing-to-do",
            "no session handed QuickBooks a request (sendRequestXML answered '' or 'NoOp' "
            f"and getLastError ended the session); this scenario needs work to judge: {_HINT}",
        )
    return None


def _turned_idle(transcript: Transcript) -> str:
    """The session's outcome, or the idle answer it had when only the closeConnection that
    followed failed. Guide p.21: after "none" (or a postpone value, p.63) QBWC calls
    closeConnection and stops; a fault there is QBWC1044 (p.98), still a session with no work
    in it (django-quickbooks 0.6.4.2 faults on its own "none" ticket)."""
    calls = transcript.calls
    closed_after_login = [c.method for c in calls[-2:]] == ["authenticate", "closeConnection"]
    if transcript.outcome.code != CLOSE_FAILED or not closed_after_login:
        return transcript.outcome.status
    if transcript.postpone_seconds:
        return "postponed"
    answer = calls[-2].result
    second = answer[1] if isinstance(answer, list) and len(answer) > 1 else None
    return "none" if str(second or "").strip().lower() == "none" else transcript.outcome.status


def left_session_open(transcripts: Sequence[Transcript]) -> bool:
    """A session the service let in (a ticket, past authenticate) that ended without
    closeConnection because a call failed: the service may still hold its lock."""
    return any(
        t.ticket
        and t.outcome.code is not None
        and "authenticate" in t.methods()
        and "closeConnection" not in t.methods()
        and t.outcome.code != "QBWC1012"
        for t in transcripts
    )


def readings(transcripts: Sequence[Transcript]) -> list[str]:
    """How the harness read answers the service did not send as plain text, once per way
    of reading (a node-soap service answers every callback the same way: one line, not one
    per callback; the transcript marks each call read so)."""
    seen: dict[str, None] = {}
    for transcript in transcripts:
        for call in transcript.calls:
            if call.reading is not None:
                # The note names the call's result element; the same reading of another
                # callback differs only there.
                text = call.reading.replace(f"{call.method}Result ", "a callback's result ")
                seen.setdefault(f"{text} (the transcript marks each call read this way)")
    return list(seen)


def fault_not_reached(unfired: Sequence[str], status: str) -> tuple[str, str] | None:
    """``(cause, reason)`` for a passed run whose planted faults (``unfired``: each one's
    description) never fired; None otherwise (a failed run keeps its verdict: see
    ``unfired_warnings``)."""
    if not unfired or status != "passed":
        return None
    return (
        "fault-not-reached",
        f"the {_faults(unfired)} never reached: the scenario passed without the trouble it "
        "plants, so it proves nothing",
    )


def request_not_handed(web_connector: str, request: str) -> tuple[str, str]:
    """``(cause, reason)`` for a ``concurrent_sync`` whose first Web Connector was to hold a
    ``request`` it was handed while the others synced, and was never handed one: the race
    the scenario is about never happened (whether the service sends that request at all is
    judged by the scenarios of its behavior, e.g. IVC-01 for InvoiceAdd)."""
    return (
        "request-not-handed",
        f"the Web Connector {web_connector!r} was never handed the {request} it was to hold "
        f"(no sendRequestXML of its session answered one), so the others never synced while "
        "it held one: the scenario proves nothing",
    )


def unfired_warnings(unfired: Sequence[str]) -> list[str]:
    """What the report says of planted faults that never fired, whatever the verdict."""
    return [f"{description} never fired" for description in unfired]


def _faults(unfired: Sequence[str]) -> str:
    return f"{unfired[0]} was" if len(unfired) == 1 else f"{', '.join(unfired)} were"
