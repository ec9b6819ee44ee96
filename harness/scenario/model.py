"""The scenario language: one pydantic model loads the files and generates their JSON Schema.

A scenario file:

    id: pay-02-full-payment            # unique, stable: reports and transcripts use it
    title: A QuickBooks payment that pays an invoice in full marks it paid in the app
    behaviors: [PAY-02]                # behavior IDs it covers (qbwc-harness behaviors)
    tags: [payments]
    profile: default                   # the connector profile under test
    # profiles: [default, zuper]       # or: one run per profile, each reported on its own
    config: {}                         # connector settings for this scenario
    given:                             # the world before the first step
      qbd_settings: {}                 # the QuickBooks company's settings
      app_settings: {}                 # the app's settings
      qbd: [ {add_payment_method: {name: Cash}} ]      # what a person did in QuickBooks
      app: [ {create_customer: {name: Acme}} ]         # what a person did in the app
    steps:                             # in order; each step is a mapping with one key
      - sync                           # one Web Connector session ("Update Selected")
      - qbd.receive_payment: {...}     # a QuickBooks UI action
      - app.record_payment: {...}      # an app action
      - clock: {advance: 300}          # move the simulated clock (seconds)
      - fault: {name: drop_after_apply, request: ReceivePaymentAdd}
      - connector: restart
      - expect: {...}                  # a checkpoint, same shape as the final expect
    expect: {...}                      # the state of both sides and the transcript
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from harness.fake_qbd import REQUEST_TYPES
from harness.scenario.catalogue import catalogue, unknown_behaviors
from harness.scenario.selectors import is_matcher, matcher_problem, parse_selection, split_sum

BEHAVIOR_ID = re.compile(r"^[A-Z]+-\d{2}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CallExpect(_Strict):
    """One SOAP call of a session: its arguments as sent and the answer it got."""

    method: str = Field(description="the web method: sendRequestXML, authenticate, ...")
    nth: int = Field(
        1, description="which call of that method in the session: 1 the first, -1 the last"
    )
    arguments: dict[str, Any] = Field(
        default_factory=dict, description="arguments that must equal these values"
    )
    arguments_contain: dict[str, str] = Field(
        default_factory=dict, description="arguments that must contain this text"
    )
    result: Any = Field(
        None, description="the answer must equal this ('' and null differ; a list for authenticate)"
    )
    result_contains: str | None = Field(None, description="text the answer must contain")
    result_matches: str | None = Field(
        None, description="a regular expression the answer (a string) must match in full"
    )
    error: bool | None = Field(
        None, description="true: the call must have failed (no usable answer); false: not"
    )


class ResponseExpect(_Strict):
    """One response in QuickBooks' answer to a qbXML message set; only the fields written
    here are compared."""

    request: str | None = Field(None, description="the request type it answers: CustomerAdd")
    request_id: str | None = Field(None, description="the requestID it echoes")
    status_code: int | None = Field(None, description="0 OK, 1 nothing found, 3140, ...")
    status_severity: Literal["Info", "Warn", "Error"] | None = None
    message_contains: str | None = Field(None, description="text its statusMessage contains")


class TranscriptExpect(_Strict):
    """What the Web Connector transcripts must show. ``outcome``, ``code``, ``progress``,
    ``calls``, ``call_pattern``, ``error_contains``, ``responses``, ``hresult`` and
    ``call_checks`` look at one session, the last unless ``session`` says which; with
    ``session: all`` they hold for every session."""

    session: int | Literal["all"] = Field(
        -1, description="which session: 0 the first, -1 the last, all: each of them"
    )
    message_set: int = Field(
        -1,
        description="which qbXML message set of the session ``responses`` and ``hresult`` "
        "look at: 1 the first, -1 the last",
    )
    sessions: int | None = Field(None, description="how many sessions ran in all")
    outcomes: list[str] | None = Field(None, description="every session's outcome, in order")
    every_outcome_in: list[str] | None = Field(
        None,
        description="every session's outcome is one of these: [completed, none, busy] says "
        "that no session ended in an error, whoever ran it",
    )
    code: str | None = Field(None, description="the QBWC error code the session ended with")
    progress: list[int] | None = Field(None, description="receiveResponseXML's percentages")

    @field_validator("message_set")
    @classmethod
    def _counts_from_one(cls, nth: int) -> int:
        if nth == 0:
            raise ValueError("message sets count from 1 (the first) or -1 (the last)")
        return nth

    @field_validator("call_pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return pattern

    outcome: str | None = Field(
        None, description="the session's outcome: completed, nvu, none, busy, error"
    )
    calls: list[str] | None = Field(None, description="the SOAP methods of the session, in order")
    call_pattern: str | None = Field(
        None,
        description="a regular expression the session's SOAP methods, joined by spaces, "
        "must match in full: 'serverVersion clientVersion authenticate "
        "(sendRequestXML receiveResponseXML )+closeConnection'",
    )
    requests: dict[str, int] = Field(
        default_factory=dict,
        description="how many qbXML requests of each type all sessions sent (0 = never); a "
        "pattern counts every type it matches: {'*Add': 0, '*Mod': 0}",
    )
    error_contains: str | None = Field(None, description="text the session's error shows")
    responses: list[ResponseExpect] | None = Field(
        None,
        description="QuickBooks' answer to the session's qbXML message set (the last, or "
        "``message_set``), response by response, in order (under stopOnError, a request "
        "after a failure is answered 3231)",
    )
    hresult: str | None = Field(
        None,
        description="the HRESULT with which QuickBooks failed that qbXML message set as a "
        "whole ('0x80040400': a parse error); '' = it did not",
    )
    call_checks: list[CallExpect] = Field(
        default_factory=list,
        description="single SOAP calls of the session: "
        "[{method: sendRequestXML, nth: 1, arguments_contain: {strHCPResponse: HostQueryRs}}]",
    )


Fields = dict[str, Any]
Records = dict[str, Fields]
#: A record's sync history by record key: one mapping of expected fields per attempt.
History = dict[str, list[Fields]]


def _one_or_a_list(schema: dict[str, Any]) -> None:
    """A field read as a list whose file may also hold one entry alone (the schema says so)."""
    items = schema.pop("items")
    schema.pop("type")
    schema["anyOf"] = [items, {"type": "array", "items": items}]


class Expectation(_Strict):
    """Expected state. Records are found by their name, number or ID; only the fields
    written here are compared. ``app_counts`` / ``qbd_counts`` check how many records a
    collection holds (``"payments[status=active]": 1`` counts only matching ones)."""

    app: dict[str, Records] = Field(
        default_factory=dict, description="app collections: {invoices: {'1001': {status: paid}}}"
    )
    app_counts: dict[str, int] = Field(
        default_factory=dict,
        description="how many records a selection holds: {'payments[status!=voided]"
        "[applications.invoice_id=5]': 1}",
    )
    app_sums: dict[str, Decimal] = Field(
        default_factory=dict,
        description="the total of one field over a selection: {'payments[status=active]"
        ".amount': '100.00'}",
    )
    qbd: dict[str, Records] = Field(
        default_factory=dict, description="QuickBooks objects: {Invoice: {'1001': {IsPaid: true}}}"
    )
    qbd_counts: dict[str, int] = Field(default_factory=dict)
    qbd_sums: dict[str, Decimal] = Field(default_factory=dict)
    app_history: dict[str, History] = Field(
        default_factory=dict,
        description="an app record's sync history, every entry in order (SYNC-01): "
        "{customers: {Acme: [{status: failed, status_code: 3100}, {status: synced}]}}; an "
        "entry's status_code and status_message are read from its error '<code>: <message>'",
    )
    qbd_history: dict[str, History] = Field(
        default_factory=dict,
        description="the connector's attempts on a QuickBooks record, every one in order "
        "(SYNC-01): {Customer: {Acme: [{request: CustomerAddRq, outcome: synced, "
        "status_code: 0}]}}; readable for the reference connector only (else inconclusive)",
    )
    transcript: list[TranscriptExpect] = Field(
        default_factory=list,
        description="what the Web Connector sessions show; a list checks several sessions "
        "(or message sets) in one expect, each entry with its own ``session``",
        json_schema_extra=_one_or_a_list,
    )

    @field_validator("app", "qbd", "app_history", "qbd_history")
    @classmethod
    def _matchers_are_well_formed(cls, records: dict[str, Any]) -> dict[str, Any]:
        for collection, by_key in records.items():
            for key, expected in by_key.items():
                for problem in _matcher_problems(expected):
                    raise ValueError(f"{collection}[{key}]: {problem}")
        return records

    @field_validator("transcript", mode="before")
    @classmethod
    def _one_check_is_a_list_of_one(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    @field_validator("app_counts", "qbd_counts")
    @classmethod
    def _counts_name_selections(cls, counts: dict[str, int]) -> dict[str, int]:
        for spec in counts:
            if parse_selection(spec) is None:
                raise ValueError(f"{spec!r}: expected a collection with [field=value] filters")
        return counts

    @field_validator("app_sums", "qbd_sums")
    @classmethod
    def _sums_name_a_field(cls, sums: dict[str, Decimal]) -> dict[str, Decimal]:
        for spec in sums:
            split_sum(spec)
        return sums


def _matcher_problems(value: Any) -> list[str]:
    """Matchers anywhere in expected fields that are written wrong."""
    if is_matcher(value):
        problem = matcher_problem(value)
        return [problem] if problem else []
    if isinstance(value, dict):
        return [p for v in value.values() for p in _matcher_problems(v)]
    if isinstance(value, list):
        return [p for v in value for p in _matcher_problems(v)]
    return []


RawStep = dict[str, Any] | str


class Given(_Strict):
    web_connectors: dict[str, WebConnectorSpec] = Field(
        default_factory=lambda: {"default": WebConnectorSpec()},
        description="Web Connector installations by name; 'default' always exists",
    )
    qbd_settings: dict[str, Any] = Field(default_factory=dict)
    app_settings: dict[str, Any] = Field(default_factory=dict)
    qbd: list[RawStep] = Field(default_factory=list, description="QuickBooks UI actions")
    app: list[RawStep] = Field(default_factory=list, description="app actions")


class WebConnectorSpec(_Strict):
    """One Web Connector installation (one computer) and the .qwc file added to it."""

    qwc: dict[str, Any] = Field(
        default_factory=dict,
        description=".qwc elements that differ from the harness's own file "
        "(IsReadOnly, RunEveryNMinutes, AppURL, OwnerID, ...)",
    )
    password: str | None = Field(None, description="the password typed into QBWC")
    client_version: str = "2.3.0.36"
    auto_run: bool = Field(True, description="the Auto-Run box is ticked")


class SyncArgs(_Strict):
    web_connector: str = Field("default", description="which Web Connector runs the session")
    runs: int = Field(1, ge=1, le=50, description="how many sessions to run back to back")
    password: str | None = Field(None, description="a different password for this run")


class ConcurrentSyncArgs(_Strict):
    """Sessions of several Web Connectors at once, interleaved call by call (``order``), or
    with the first one holding a request it was handed (``first_holds``)."""

    web_connectors: list[str] = Field(min_length=2)
    order: list[int] = Field(
        default_factory=list,
        description="which Web Connector (by position) makes the next call; then round-robin",
    )
    first_holds: str | None = Field(
        None,
        description="a request type (InvoiceAdd): the first Web Connector runs until "
        "sendRequestXML hands it one, holds it while each other runs its whole session, then "
        "passes it to QuickBooks and finishes; not with order",
    )

    @field_validator("first_holds")
    @classmethod
    def _known_request(cls, value: str | None) -> str | None:
        if value is not None and f"{value}Rq" not in REQUEST_TYPES:
            raise ValueError(f"{value!r} is not a qbXML 13.0 request type (e.g. InvoiceAdd)")
        return value

    @model_validator(mode="after")
    def _one_way_to_interleave(self) -> ConcurrentSyncArgs:
        if self.order and self.first_holds is not None:
            raise ValueError("order and first_holds are two ways to interleave: write one")
        return self


class ScheduleArgs(_Strict):
    """Let time pass with the Web Connectors' auto-run on: every run that falls due runs."""

    advance: Annotated[Decimal, Field(gt=0, le=7 * 24 * 3600)] = Field(
        description="seconds of simulated time"
    )


class RunNowArgs(_Strict):
    """ "Update Selected" pressed in a Web Connector: a manual run through its scheduler."""

    web_connector: str = "default"


class ClockArgs(_Strict):
    advance: Annotated[Decimal, Field(ge=0)] | None = Field(None, description="seconds forward")
    jump: Decimal | None = Field(None, description="seconds, either way (a clock resync)")


class SoapCallArgs(_Strict):
    """One web-method call made by hand, outside a session (a stale or forged ticket, a call
    out of order), recorded as a session of its own with that one call. The call's answer
    is checked with ``expect: {transcript: {call_checks: [...]}}``."""

    method: Literal[
        "serverVersion",
        "clientVersion",
        "authenticate",
        "sendRequestXML",
        "receiveResponseXML",
        "connectionError",
        "getLastError",
        "closeConnection",
    ]
    ticket: str | None = Field(
        None,
        description="the ticket argument: 'last' = the ticket of the last session (closed by "
        "now), any other text is sent as written",
    )
    arguments: dict[str, Any] = Field(
        default_factory=dict,
        description="the other arguments; those left out are sent as the real client would "
        "(strings '', versions 13.0)",
    )
    web_connector: str = Field("default", description="whose .qwc file and address are used")


class QbxmlRequestArgs(_Strict):
    """A qbXML message set handed straight to QuickBooks, as an SDK application would (no
    Web Connector, no connector): to see what QuickBooks answers a request, e.g. one copied
    from a connector's log. Recorded as a session of its own with that one exchange; the
    answer is checked with ``expect: {transcript: {responses: [...]}}`` or ``hresult``."""

    request: str = Field(min_length=1, description="the qbXML message set, as text")


class ReplayResponseArgs(_Strict):
    """The Web Connector's HTTP layer sends a receiveResponseXML again (a retried POST
    after a lost answer): the last call that carried the response to ``request`` is resent,
    with its ticket and arguments, recorded as a session of its own. The connector must not
    apply the same response twice (PAY-17)."""

    request: str = Field(
        description="the qbXML request whose response is replayed, e.g. ReceivePaymentAdd"
    )


class ConnectorArgs(_Strict):
    action: Literal["restart"]


class FaultArgs(BaseModel):
    """A named fault; its other keys are the fault's own parameters."""

    model_config = ConfigDict(extra="allow")
    name: str


class Scenario(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str = Field(min_length=1)
    behaviors: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    profile: str = "default"
    profiles: list[str] | None = Field(
        None,
        min_length=2,
        description="run the file once per connector profile, [default, zuper], instead of "
        "under ``profile``; each run is reported on its own as <id>[<profile>]",
    )
    config: dict[str, Any] = Field(default_factory=dict)
    xfail: str | None = Field(None, description="expected to fail, with the reason")
    skip: str | None = Field(None, description="not run, with the reason")
    given: Given = Field(default_factory=Given)
    steps: list[RawStep] = Field(default_factory=list)
    expect: Expectation | None = None

    @field_validator("given")
    @classmethod
    def _default_web_connector(cls, given: Given) -> Given:
        given.web_connectors.setdefault("default", WebConnectorSpec())
        return given

    @field_validator("profiles")
    @classmethod
    def _distinct_profiles(cls, names: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if names is None:
            return None
        if info.data.get("profile", "default") != "default":
            raise ValueError("give `profile` (one run) or `profiles` (one run each), not both")
        if len(set(names)) != len(names):
            raise ValueError(f"a profile is named twice: {names}")
        return names

    @field_validator("behaviors")
    @classmethod
    def _known_behaviors(cls, ids: list[str]) -> list[str]:
        known = catalogue()
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(unknown_behaviors(unknown))
        return ids
