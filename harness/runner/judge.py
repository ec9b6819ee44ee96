"""The judge: an ``expect`` block checked against the world now, both sides and the
transcripts; what it cannot read makes the run inconclusive."""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from harness.runner.compare import (
    Mismatch,
    compare_counts,
    compare_side,
    compare_sums,
    compare_value,
)
from harness.runner.history import HistoryUnreadable, app_history, qbd_history_reader
from harness.runner.results import Failure
from harness.scenario.model import CallExpect, Expectation, TranscriptExpect
from harness.webconnector.errors import METHOD_FAILURE_CODES
from harness.webconnector.transcript import SoapCall, Transcript
from harness.world import World


class Inconclusive(Exception):
    """The scenario proved nothing: the app adapter does not support a step it needs, or
    cannot read what it checks (certification reports it as inconclusive). ``cause`` is
    one of INCONCLUSIVE_CAUSES."""

    def __init__(self, reason: str, cause: str = "adapter") -> None:
        super().__init__(reason)
        self.cause = cause


class StepFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def check_expectation(world: World, expect: Expectation, line: int = 0) -> None:
    """Judge ``expect`` against the world now (an ``expect`` step, or the scenario's
    ``expect`` block after its steps); ``StepFailed`` carries the differences."""
    mismatches: list[Mismatch] = []
    unreadable: list[HistoryUnreadable] = []
    if expect.app or expect.app_counts or expect.app_sums or expect.app_history:
        app = world.app.snapshot()
        named = [*expect.app, *expect.app_counts, *expect.app_sums, *expect.app_history]
        _require_collections(app, named, line)
        mismatches += compare_side("app", expect.app, app)
        mismatches += compare_counts("app", expect.app_counts, app)
        mismatches += compare_sums("app", expect.app_sums, app)
        try:
            mismatches += compare_side(
                "app_history", expect.app_history, app, lambda _, record: app_history(record)
            )
        except HistoryUnreadable as exc:
            unreadable.append(exc)
    if expect.qbd or expect.qbd_counts or expect.qbd_sums or expect.qbd_history:
        qbd = world.qbd.snapshot()
        mismatches += compare_side("qbd", expect.qbd, qbd)
        mismatches += compare_counts("qbd", expect.qbd_counts, qbd)
        mismatches += compare_sums("qbd", expect.qbd_sums, qbd)
        try:
            reader = qbd_history_reader(world.connector_attempts)
            mismatches += compare_side("qbd_history", expect.qbd_history, qbd, reader)
        except HistoryUnreadable as exc:
            unreadable.append(exc)
    for transcript in expect.transcript:
        mismatches += _check_transcript(world, transcript)
    if mismatches:
        raise StepFailed(Failure("expect", line, f"{len(mismatches)} difference(s)", mismatches))
    if unreadable:  # the rest held; what could not be read proves nothing
        raise Inconclusive(f"line {line}: {unreadable[0]}", cause=unreadable[0].cause)


def _require_collections(snapshot: dict[str, Any], names: list[str], line: int) -> None:
    """An adapter may read only some app collections; checking one it does not return
    proves nothing (a name no adapter knows is the scenario's mistake, reported as usual)."""
    from harness.adapter import SNAPSHOT_COLLECTIONS

    wanted = {name.partition("[")[0] for name in names}
    unread = sorted(n for n in wanted if n in SNAPSHOT_COLLECTIONS and n not in snapshot)
    if unread:
        raise Inconclusive(f"line {line}: the app adapter does not read {', '.join(unread)}")


def _check_transcript(world: World, expect: TranscriptExpect) -> list[Mismatch]:
    found: list[Mismatch] = []
    if expect.sessions is not None and len(world.transcripts) != expect.sessions:
        found.append(Mismatch("transcript.sessions", expect.sessions, len(world.transcripts)))
    if expect.outcomes is not None:
        outcomes = [t.outcome.status for t in world.transcripts]
        found += compare_value("transcript.outcomes", expect.outcomes, outcomes)
    if expect.every_outcome_in is not None:
        allowed = set(expect.every_outcome_in)
        for index, transcript in enumerate(world.transcripts):
            if transcript.outcome.status not in allowed:
                where = f"transcript.sessions[{index}] ({transcript.user_name})"
                found.append(Mismatch(where, f"one of {sorted(allowed)}", _shown(transcript)))
    if expect.session == "all":  # each session on its own, named by its index
        if not world.transcripts:  # "every session" of none would hold whatever it says
            found.append(Mismatch("transcript.session", "all sessions", "none ran"))
        for index, transcript in enumerate(world.transcripts):
            found += _check_session(transcript, expect, f"transcript.sessions[{index}]")
    else:
        try:
            chosen = world.transcripts[expect.session]
        except IndexError:
            ran = len(world.transcripts)
            found.append(Mismatch("transcript.session", f"session {expect.session}", f"{ran} ran"))
            return found
        named = "transcript" if expect.session == -1 else f"transcript.sessions[{expect.session}]"
        found += _check_session(chosen, expect, named)
    if expect.requests:
        sent = request_counts(world)
        for name, count in expect.requests.items():
            # A pattern ("*Add", "Item*Query") counts every request type it matches.
            made = sum(n for kind, n in sent.items() if fnmatch.fnmatchcase(kind, name))
            if made != count:
                found.append(Mismatch(f"transcript.requests.{name}", count, made))
    return found


def _check_session(session: Transcript, expect: TranscriptExpect, where: str) -> list[Mismatch]:
    """The checks of ``expect`` that look at one session; ``where`` names it in a failure."""
    found: list[Mismatch] = []
    if expect.outcome is not None and expect.outcome != session.outcome.status:
        # Say what the user of the real Web Connector would see: the code and its message.
        found.append(Mismatch(f"{where}.outcome", expect.outcome, _shown(session)))
    if "code" in expect.model_fields_set and expect.code != session.outcome.code:
        found.append(Mismatch(f"{where}.code", expect.code, session.outcome.code))
        if expect.outcome is None and session.outcome.message:
            found.append(Mismatch(f"{where}.shown", "(the session's end)", _cut(_shown(session))))
    if expect.progress is not None:
        found += compare_value(f"{where}.progress", expect.progress, session.progress)
    if expect.calls is not None:
        found += compare_value(f"{where}.calls", expect.calls, session.methods())
    if expect.call_pattern is not None:
        called = " ".join(session.methods())
        if not re.fullmatch(expect.call_pattern, called):
            found.append(Mismatch(f"{where}.calls", f"to match {expect.call_pattern}", called))
    if expect.error_contains is not None and expect.error_contains not in session.outcome.message:
        found.append(Mismatch(f"{where}.error", expect.error_contains, session.outcome.message))
    if expect.responses is not None or expect.hresult is not None:
        found += _check_answer(session, expect, where)
    for check in expect.call_checks:
        found += _check_call(session, check, where)
    return found


def _check_call(transcript: Transcript, check: CallExpect, session: str) -> list[Mismatch]:
    calls = [e for e in transcript.events if isinstance(e, SoapCall) and e.method == check.method]
    where = f"{session}.{check.method}#{check.nth}"
    try:
        call = calls[check.nth - 1 if check.nth > 0 else check.nth]
    except IndexError:
        return [Mismatch(where, f"call #{check.nth} of {check.method}", f"{len(calls)} call(s)")]
    found: list[Mismatch] = []
    for name, value in check.arguments.items():
        found += compare_value(f"{where}.{name}", value, call.arguments.get(name))
    for name, text in check.arguments_contain.items():
        if text not in str(call.arguments.get(name) or ""):
            found.append(
                Mismatch(f"{where}.{name}", f"to contain {text!r}", _cut(call.arguments.get(name)))
            )
    code = METHOD_FAILURE_CODES.get(check.method, "")
    if check.error is not None and (call.error is not None) != check.error:
        shown = f"failed: {code} {call.error}" if call.error else f"answered {_cut(call.result)}"
        found.append(
            Mismatch(f"{where}.error", "a failed call" if check.error else "an answer", shown)
        )
    answer = call.error and f"(no answer: {code} {call.error})"
    if "result" in check.model_fields_set and (call.error or call.result != check.result):
        found.append(Mismatch(f"{where}.result", check.result, answer or call.result))
    if check.result_contains is not None and check.result_contains not in str(call.result or ""):
        found.append(
            Mismatch(
                f"{where}.result",
                f"to contain {check.result_contains!r}",
                answer or _cut(call.result),
            )
        )
    if check.result_matches is not None and not re.fullmatch(
        check.result_matches, str(call.result or "")
    ):
        found.append(
            Mismatch(
                f"{where}.result", f"to match {check.result_matches}", answer or _cut(call.result)
            )
        )
    return found


def _check_answer(session: Transcript, expect: TranscriptExpect, where: str) -> list[Mismatch]:
    """QuickBooks' answer to one qbXML message set of the session (``message_set``: 1 the
    first, -1 the last), response by response."""
    if not session.qbxml:
        return [Mismatch(f"{where}.responses", "a qbXML exchange", "none in the session")]
    nth = expect.message_set
    try:
        exchange = session.qbxml[nth - 1 if nth > 0 else nth]
    except IndexError:
        ran = len(session.qbxml)
        return [Mismatch(f"{where}.message_set", f"message set {nth}", f"{ran} in the session")]
    if nth != -1:
        where = f"{where}.message_sets[{nth}]"
    found: list[Mismatch] = []
    if expect.hresult is not None and expect.hresult.lower() != exchange.hresult.lower():
        found.append(Mismatch(f"{where}.hresult", expect.hresult, exchange.hresult))
    if expect.responses is None:
        return found
    answers = exchange.answers
    if len(answers) != len(expect.responses):
        shown = [f"{a['request']} #{a['request_id']}: {a['status_code']}" for a in answers]
        return [*found, Mismatch(f"{where}.responses", len(expect.responses), shown)]
    for index, (wanted, answer) in enumerate(zip(expect.responses, answers, strict=True)):
        at = f"{where}.responses[{index}]"
        for name, value in wanted.model_dump(exclude_none=True).items():
            if name == "message_contains":
                if value not in answer["status_message"]:
                    found.append(Mismatch(f"{at}.message", value, answer["status_message"]))
            elif str(value) != answer[name]:
                found.append(Mismatch(f"{at}.{name}", value, answer[name]))
    return found


def _shown(transcript: Transcript) -> str:
    """An outcome as the report prints it: ``error (QBWC1012: Authentication failed ...)``."""
    outcome = transcript.outcome
    if not outcome.message:
        return outcome.status
    return f"{outcome.status} ({_cut(outcome.message, 200)})"


def _cut(value: object, limit: int = 160) -> object:
    """Long qbXML in a failure line is cut to its start; the transcript has all of it."""
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + f"... ({len(value)} characters)"
    return value


def request_counts(world: World) -> dict[str, int]:
    """How many qbXML requests of each type (``InvoiceAdd``...) every session sent."""
    counts: dict[str, int] = {}
    for transcript in world.transcripts:
        for exchange in transcript.qbxml:
            for name in exchange.request_types:
                counts[name] = counts.get(name, 0) + 1
    return counts
