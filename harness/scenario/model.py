"""The scenario language: one pydantic model loads the files and generates their JSON Schema.

A scenario file:

    id: pay-02-full-payment            # unique, stable: reports and transcripts use it
    title: A QuickBooks payment that pays an invoice in full marks it paid in the app
    behaviors: [PAY-02]                # IDs of BEHAVIORS.md this scenario covers
    tags: [payments]
    profile: default                   # the connector profile under test
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

from pydantic import BaseModel, ConfigDict, Field, field_validator

from harness.catalogue import catalogue

BEHAVIOR_ID = re.compile(r"^[A-Z]+-\d{2}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TranscriptExpect(_Strict):
    """What the Web Connector transcript must show."""

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
        None, description="outcome of the last session: completed, nvu, none, busy, error"
    )
    calls: list[str] | None = Field(
        None, description="the SOAP methods of the last session, in order"
    )
    call_pattern: str | None = Field(
        None,
        description="a regular expression the last session's SOAP methods, joined by spaces, "
        "must match in full: 'serverVersion clientVersion authenticate "
        "(sendRequestXML receiveResponseXML )+closeConnection'",
    )
    requests: dict[str, int] = Field(
        default_factory=dict,
        description="how many qbXML requests of each type all sessions sent (0 = never)",
    )
    error_contains: str | None = Field(None, description="text the last session's error shows")


Fields = dict[str, Any]
Records = dict[str, Fields]


class Expectation(_Strict):
    """Expected state. Records are found by their name, number or ID; only the fields
    written here are compared. ``counts`` checks how many records a collection holds."""

    app: dict[str, Records] = Field(
        default_factory=dict, description="app collections: {invoices: {'1001': {status: paid}}}"
    )
    app_counts: dict[str, int] = Field(default_factory=dict)
    qbd: dict[str, Records] = Field(
        default_factory=dict, description="QuickBooks objects: {Invoice: {'1001': {IsPaid: true}}}"
    )
    qbd_counts: dict[str, int] = Field(default_factory=dict)
    transcript: TranscriptExpect | None = None


RawStep = dict[str, Any] | str


class Given(_Strict):
    qbd_settings: dict[str, Any] = Field(default_factory=dict)
    app_settings: dict[str, Any] = Field(default_factory=dict)
    qbd: list[RawStep] = Field(default_factory=list, description="QuickBooks UI actions")
    app: list[RawStep] = Field(default_factory=list, description="app actions")


class SyncArgs(_Strict):
    web_connector: str = Field("default", description="which Web Connector runs the session")
    runs: int = Field(1, ge=1, le=50, description="how many sessions to run back to back")


class ClockArgs(_Strict):
    advance: Annotated[Decimal, Field(ge=0)] | None = Field(None, description="seconds forward")
    jump: Decimal | None = Field(None, description="seconds, either way (a clock resync)")


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
    config: dict[str, Any] = Field(default_factory=dict)
    xfail: str | None = Field(None, description="expected to fail, with the reason")
    skip: str | None = Field(None, description="not run, with the reason")
    given: Given = Field(default_factory=Given)
    steps: list[RawStep] = Field(default_factory=list)
    expect: Expectation | None = None

    @field_validator("behaviors")
    @classmethod
    def _known_behaviors(cls, ids: list[str]) -> list[str]:
        known = catalogue()
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"unknown behavior ID {', '.join(unknown)} (see BEHAVIORS.md)")
        return ids
