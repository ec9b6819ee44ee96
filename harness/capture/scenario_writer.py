"""Observed sessions -> a scenario file that reproduces them.

Each session becomes a ``sync`` step, with the fault that makes the simulated Web Connector
end it the way the log shows (QBWC1012, connectionError's hresult, a 0x80040400 parse
error, "nvu"); a request QuickBooks refused (a status code of 1000 or more) is handed to the
fake company as it was sent (``qbxml_request``, with the real IDs mapped to the fake's), so
the fake answers it as QuickBooks did. Expectations are what the log shows, marked
"observed": the developer edits them into what should have happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yaml

from harness.capture.company import Company, IdMap, map_ids, parse_qbxml, reveal, seed_fake
from harness.capture.observed import Observation, ObservedExchange, ObservedSession
from harness.capture.personal import PersonalData
from harness.capture.qwclog import SUMMARY_CODE

#: The behavior each kind of failure is about (BEHAVIORS.md).
BEHAVIOR_OF = {
    "nvu": "WC-02",
    "busy": "WC-04",
    "connection": "WC-10",
    "0x80040400": "QBD-17",
    "3100": "QBD-02",
    "3200": "QBD-01",
    "3140": "QBD-03",
}
#: Longest pause reproduced between two sessions (the simulated clock need not wait a week).
MAX_PAUSE_SECONDS = 24 * 3600


@dataclass
class Imported:
    text: str  # the scenario file
    sessions: int
    notes: list[str] = field(default_factory=list)  # what the developer should know


@dataclass
class _Plan:
    steps: list[Any] = field(default_factory=list)
    behaviors: list[str] = field(default_factory=list)


def choose_app(observation: Observation, app: str | None) -> tuple[str, list[str]]:
    """The application to import (``app``, or the one whose session failed last) and a note
    about the others."""
    apps = observation.apps()
    if app is not None:
        if app not in apps:
            raise ValueError(f"no session of application {app!r}; the log has: {', '.join(apps)}")
        chosen = app
    else:
        failed = [s.app for s in observation.sessions if _failure(s)]
        chosen = failed[-1] if failed else apps[-1]
    others = [a for a in apps if a != chosen]
    notes = (
        [f"left out the sessions of {', '.join(map(repr, others))} (use --app)"] if others else []
    )
    return chosen, notes


def write_scenario(
    observation: Observation,
    *,
    scenario_id: str,
    source: str,
    app: str | None = None,
    seed: int = 0,
    keep_personal_data: bool = False,
    last: int | None = None,
) -> Imported:
    """``last``: only the application's last N sessions become steps; what the ones before
    showed is the company they start from."""
    chosen, notes = choose_app(observation, app)
    everything = [s for s in observation.sessions if s.app == chosen]
    sessions = everything[-last:] if last else everything
    earlier = everything[: len(everything) - len(sessions)]
    if earlier:
        notes.append(
            f"imported the last {len(sessions)} of {len(everything)} sessions; the company "
            f"starts as the {len(earlier)} before them left it"
        )
    personal = PersonalData(seed)
    if not keep_personal_data:
        personal.collect(
            t for s in everything for e in s.exchanges for t in (e.request, e.response)
        )
    rewrite = (lambda t: t) if keep_personal_data else personal.rewrite
    company = reveal(
        [rewrite(e.response) or "" for s in sessions for e in s.exchanges],
        [
            (kind, message)
            for s in sessions
            for e in s.exchanges
            for kind, code, message in _refusals(rewrite(e.response))
        ],
        [rewrite(e.response) or "" for s in earlier for e in s.exchanges],
    )
    _, ids = seed_fake(company)
    plan = _Plan()
    previous: datetime | None = None
    for number, session in enumerate(sessions, start=1):
        started = _time(session.started)
        if previous and started and (pause := (started - previous).total_seconds()) > 0:
            plan.steps.append({"clock": {"advance": int(min(pause, MAX_PAUSE_SECONDS))}})
        previous = started or previous
        _session_steps(plan, number, session, rewrite, ids)
    notes += [
        f"{r.kind} {r.key!r}: added because {r.inferred}" for r in company.ranked() if r.inferred
    ]
    if observation.skipped:
        notes.append(f"{len(observation.skipped)} part(s) of the log could not be read:")
        notes += [f"  {s}" for s in observation.skipped]
    text = _render(scenario_id, source, chosen, sessions, company, plan, seed, keep_personal_data)
    return Imported(text, len(sessions), notes)


def _refusals(response: str | None) -> list[tuple[str, str, str]]:
    """(request type, status code, message) of each response with an Error status."""
    root = parse_qbxml(response)
    if root is None:
        return []
    return [
        (rs.tag.removesuffix("Rs"), rs.get("statusCode", ""), rs.get("statusMessage", ""))
        for rs in root.iter()
        if isinstance(rs.tag, str) and rs.tag.endswith("Rs") and rs.get("statusSeverity") == "Error"
    ]


def _failure(session: ObservedSession) -> str:
    """What went wrong, in the words BEHAVIOR_OF knows; '' for a clean session."""
    if session.auth_status in ("nvu", "busy"):
        return session.auth_status
    if session.connection_error:
        return "connection"
    for exchange in session.exchanges:
        if exchange.hresult:
            return exchange.hresult.lower()
        for _, code, _ in _refusals(exchange.response):
            return code
    return "error" if session.code and session.code != SUMMARY_CODE else ""


def _session_steps(
    plan: _Plan, number: int, session: ObservedSession, rewrite: Any, ids: IdMap
) -> None:
    failure = _failure(session)
    plan.behaviors.append(BEHAVIOR_OF.get(failure, "WC-01"))
    plan.behaviors += [
        BEHAVIOR_OF[code]
        for e in session.exchanges
        for _, code, _ in _refusals(rewrite(e.response))
        if code in BEHAVIOR_OF
    ]
    sent = _request_counts(session.exchanges)
    shown = (
        f"; {session.code}: {rewrite(session.error)}"[:160].replace("\n", " ")
        if session.code
        else ""
    )
    header = (
        f"session {number} (log line {session.line}, {session.started}): "
        f"{failure or 'no failure'}{shown}; calls: {' '.join(session.calls) or '(none logged)'}; "
        f"requests sent: {sent or '(none logged)'}"
    )
    plan.steps.append({"_comment": header})
    observed: dict[str, Any] = {}
    step: Any = "sync"
    if failure == "nvu":
        step = {"sync": {"password": "not-the-password"}}
        observed = {"outcome": "nvu"}
    elif failure == "busy":
        # Another Web Connector held the company file: reproducing that takes a second one
        # (concurrent_sync), which the log does not describe.
        plan.steps.append({"_comment": "busy: add a second Web Connector and concurrent_sync"})
    elif failure == "connection":
        hresult, message = session.connection_error or ("", "")
        message = message or "QuickBooks could not be reached."
        if not re.fullmatch(r"0x[0-9A-Fa-f]{1,8}", hresult):
            # The fault needs one: "could not start QuickBooks", the commonest (QBWC-FACTS.md).
            plan.steps.append(
                {"_comment": f"the log shows no hresult ({hresult!r}): 0x80040408 assumed"}
            )
            hresult = "0x80040408"
        plan.steps.append(
            {"fault": {"name": "company_unavailable", "hresult": _Hex(hresult), "message": message}}
        )
        observed = {"outcome": "error", "error_contains": message}
        if session.code and session.code != SUMMARY_CODE:
            observed["code"] = session.code
    elif session.code == "QBWC1012":
        plan.steps.append({"fault": {"name": "drop_before_call", "method": "authenticate"}})
        observed = {"outcome": "error", "code": "QBWC1012"}
    elif failure == "0x80040400":
        plan.steps.append({"fault": {"name": "qbxml_parse_error"}})
        observed = {"outcome": "error", "hresult": "0x80040400"}
    plan.steps.append(step)
    if observed:
        plan.steps.append({"expect": {"transcript": observed}, "_observed": True})
    for exchange in session.exchanges:
        _refused_request(plan, exchange, rewrite, ids)


def _refused_request(plan: _Plan, exchange: ObservedExchange, rewrite: Any, ids: IdMap) -> None:
    """The request QuickBooks failed, handed to the fake as it was sent."""
    refusals = _refusals(rewrite(exchange.response))
    if exchange.request is None or not (refusals or exchange.hresult):
        return
    request = map_ids(rewrite(exchange.request), ids)
    plan.steps.append({"qbxml_request": {"request": request}})
    if exchange.hresult:
        observed: dict[str, Any] = {"hresult": exchange.hresult}
    else:
        observed = {
            "responses": [
                {"request": kind, "status_code": int(code), "status_severity": "Error"}
                for kind, code, _ in refusals
            ]
        }
    plan.steps.append({"expect": {"transcript": observed}, "_observed": True})


def _request_counts(exchanges: list[ObservedExchange]) -> str:
    counts: dict[str, int] = {}
    for exchange in exchanges:
        for kind in _request_types(exchange.request):
            counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{k} x{v}" for k, v in counts.items())


def _request_types(request: str | None) -> list[str]:
    root = parse_qbxml(request)
    if root is None:
        return []
    return [
        c.tag.removesuffix("Rq")
        for m in root.iter("QBXMLMsgsRq")
        for c in m
        if isinstance(c.tag, str)
    ]


def _time(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


def _render(
    scenario_id: str,
    source: str,
    app: str,
    sessions: list[ObservedSession],
    company: Company,
    plan: _Plan,
    seed: int,
    keep_personal_data: bool,
) -> str:
    personal = (
        "kept as in the log (--keep-personal-data)"
        if keep_personal_data
        else f"replaced by seeded fake values (seed {seed})"
    )
    lines = [
        "# yaml-language-server: $schema=../scenario.schema.json",
        f"# Imported by `qbwc-harness import` from {source}, application {app or '(unnamed)'!r}:",
        f"# {len(sessions)} session(s). Names, emails, phones and addresses {personal};",
        "# passwords and tickets are never copied. Expectations marked `observed` are what the",
        "# log shows: edit them into what should have happened (docs/reproduce.md).",
    ]
    head = {
        "id": scenario_id,
        "title": f"Reproduces the sessions of {app or 'the application'} from {source}",
        "behaviors": list(dict.fromkeys(plan.behaviors)) or ["WC-01"],
        "tags": ["imported", "observed"],
    }
    lines.append(_dump(head))
    given: dict[str, Any] = {}
    if company.multi_location:
        given["qbd_settings"] = {"multi_location_inventory": True}
    if company.objects:
        given["qbd"] = [r.action for r in company.ranked()]
    if given:
        lines.append("# The company as QuickBooks' answers showed it (IDs are the fake's own).")
        lines.append(_dump({"given": given}))
    lines.append("steps:")
    for step in plan.steps:
        if isinstance(step, str):
            lines.append(f"  - {step}")
            continue
        if "_comment" in step:
            lines.append(f"  # {step['_comment']}")
            continue
        body = {k: v for k, v in step.items() if k != "_observed"}
        dumped = _dump([body]).rstrip("\n")
        if step.get("_observed"):
            dumped = dumped.replace("- expect:", "- expect:  # observed", 1)
        lines.append("\n".join(f"  {line}" for line in dumped.splitlines()))
    # What the log showed is checked where it happened, by the `expect` steps above.
    lines.append("expect: {}  # the observed checks are the steps above; add the final state")
    return "\n".join(lines) + "\n"


class _Hex(int):
    """An HRESULT, written as QBWC and the guide write it: 0x80040408."""

    def __new__(cls, text: str) -> _Hex:
        return super().__new__(cls, int(text, 16))


class _Dumper(yaml.SafeDumper):
    """Multi-line text (a qbXML request) as a literal block, readable and diffable."""


def _text_block(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text_block)
_Dumper.add_representer(
    _Hex, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:int", f"0x{value:08X}")
)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
