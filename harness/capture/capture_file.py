"""The capture file that ``qbwc-harness record`` writes: JSON lines, versioned.

Line 1 is the header ``{"format": "qbwc-harness-capture", "version": 1, ...}``; every
other line is one SOAP call as it crossed the proxy::

    {"kind": "call", "seq": 3, "time": "2026-01-05T14:00:01.123+00:00", "duration_ms": 4.2,
     "method": "sendRequestXML", "arguments": {"ticket": "ticket-1", ...},
     "status": 200, "result": "<?xml ...?><QBXML>...", "fault": null,
     "request_headers": {...}, "response_headers": {...}}

``arguments`` and ``result`` are the web method's parameters and answer as the WSDL names
them (authenticate's answer is a list). Passwords are written as ``REDACTED`` and tickets
as ``ticket-N`` (the same real ticket, the same N); nothing else is changed, so the qbXML
requests (sendRequestXML's answers) and QuickBooks' responses (receiveResponseXML's
``response``) are as they were sent. docs/reproduce.md documents the format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.capture.observed import Observation, ObservedExchange, ObservedSession
from harness.files import read_small_file
from harness.webconnector.session import carries_request

FORMAT = "qbwc-harness-capture"
VERSION = 1
REDACTED = "REDACTED"
#: Arguments that are never written (the Web Connector user's password).
SECRET_ARGUMENTS = ("strPassword",)


class CaptureError(ValueError):
    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.line = line
        self.message = message


@dataclass
class CapturedCall:
    seq: int
    method: str
    arguments: dict[str, Any]
    result: Any = None
    status: int | None = None
    fault: str | None = None
    time: str = ""
    duration_ms: float = 0.0
    request_headers: dict[str, str] = field(default_factory=dict)
    response_headers: dict[str, str] = field(default_factory=dict)
    line: int = 0

    def to_json(self) -> str:
        record = {
            "kind": "call",
            "seq": self.seq,
            "time": self.time,
            "duration_ms": round(self.duration_ms, 3),
            "method": self.method,
            "arguments": self.arguments,
            "status": self.status,
            "result": self.result,
            "fault": self.fault,
            "request_headers": self.request_headers,
            "response_headers": self.response_headers,
        }
        return json.dumps(record, ensure_ascii=False)


@dataclass
class Capture:
    header: dict[str, Any]
    calls: list[CapturedCall]

    def observation(self) -> Observation:
        """The calls as observed sessions: one per authenticate, in order."""
        sessions: list[ObservedSession] = []
        current: ObservedSession | None = None
        for call in self.calls:
            if call.method == "serverVersion" or current is None:
                current = ObservedSession(
                    app=self.header.get("upstream", ""), line=call.line, started=call.time
                )
                sessions.append(current)
            current.calls.append(call.method)
            _observe(current, call)
        return Observation(sessions)


def _observe(session: ObservedSession, call: CapturedCall) -> None:
    args = call.arguments
    if call.fault:
        session.error = call.fault
    if call.method == "authenticate" and isinstance(call.result, list):
        session.auth = [str(v) for v in call.result]
    elif call.method == "sendRequestXML" and carries_request(call.result):
        session.exchanges.append(ObservedExchange(str(call.result), line=call.line))
    elif call.method == "receiveResponseXML" and session.exchanges:
        exchange = session.exchanges[-1]
        exchange.response = args.get("response") or None
        exchange.hresult = args.get("hresult") or ""
        exchange.message = args.get("message") or ""
    elif call.method == "connectionError":
        session.connection_error = (args.get("hresult") or "", args.get("message") or "")


def header(upstream: str, created: str) -> str:
    return json.dumps(
        {"format": FORMAT, "version": VERSION, "created": created, "upstream": upstream}
    )


def is_capture(path: Path) -> bool:
    if not path.is_file():  # a FIFO or a device is not opened here (it may never answer)
        return False
    try:
        with path.open("rb") as stream:
            first = stream.readline(4096)
    except OSError:
        return False
    return first.lstrip().startswith(b"{") and FORMAT.encode() in first


#: A capture is read whole; one far larger than a day of sessions is refused, as are a FIFO
#: and /dev/zero (``harness.files``).
MAX_CAPTURE_BYTES = 1024 * 1024 * 1024


def read_capture(path: Path) -> Capture:
    try:
        lines = read_small_file(path, MAX_CAPTURE_BYTES).decode("utf-8").splitlines()
    except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        raise CaptureError(path, 1, f"cannot read the file: {exc}") from None
    if not lines:
        raise CaptureError(path, 1, "empty; expected a capture header line")
    head = _record(path, 1, lines[0])
    if head.get("format") != FORMAT:
        raise CaptureError(path, 1, f"not a capture: the header's format is not {FORMAT!r}")
    if head.get("version") != VERSION:
        raise CaptureError(
            path,
            1,
            f"capture version {head.get('version')!r}; this harness reads version {VERSION}",
        )
    calls = []
    for number, text in enumerate(lines[1:], start=2):
        if not text.strip():
            continue
        record = _record(path, number, text)
        try:
            calls.append(
                CapturedCall(
                    seq=int(record["seq"]),
                    method=str(record["method"]),
                    arguments=dict(record.get("arguments") or {}),
                    result=record.get("result"),
                    status=record.get("status"),
                    fault=record.get("fault"),
                    time=str(record.get("time", "")),
                    duration_ms=float(record.get("duration_ms") or 0),
                    request_headers=dict(record.get("request_headers") or {}),
                    response_headers=dict(record.get("response_headers") or {}),
                    line=number,
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CaptureError(
                path, number, f"a call record needs seq and method ({exc})"
            ) from None
    return Capture(head, calls)


def _record(path: Path, number: int, text: str) -> dict[str, Any]:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaptureError(path, number, f"not a JSON object: {exc.msg}") from None
    if not isinstance(record, dict):
        raise CaptureError(path, number, "not a JSON object")
    return record
