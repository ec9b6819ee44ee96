"""What one Web Connector session did: every SOAP call, every qbXML message, the outcome.

Deterministic by construction: simulated times only. Real durations and raw envelopes are
kept on the records but left out of ``to_json()`` unless asked for, so the same scenario
gives the same JSON byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness import xmlsafe

REDACTED = "REDACTED"

#: Outcome statuses. completed: receiveResponseXML reached 100 (or the loop ended cleanly);
#: nvu / none / busy: authenticate's answer; postponed: authenticate asked to postpone;
#: error: anything that QBWC shows as an error (``code`` is the QBWC10xx code when QBWC has one);
#: stopped: the simulated client ended a session that would not end (more requests or NoOp
#: waits than its bound; real QBWC would go on: guide p.78 sets no limit).
OUTCOME_STATUSES = ("completed", "nvu", "none", "busy", "postponed", "error", "stopped")


@dataclass
class SoapCall:
    seq: int
    method: str
    arguments: dict[str, Any]
    sim_time: str
    result: Any = None
    error: str | None = None  # the .NET exception message when the call had no usable answer
    http_status: int | None = None
    #: how the result was read when the service did not send it as plain text (element
    #: content): the harness's reading, said so wherever the result is shown
    reading: str | None = None
    duration_ms: float = field(default=0.0, compare=False)
    request_xml: bytes | None = field(default=None, compare=False, repr=False)
    response_xml: bytes | None = field(default=None, compare=False, repr=False)

    def to_dict(self, *, timing: bool = False, raw: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seq": self.seq,
            "kind": "soap",
            "method": self.method,
            "arguments": self.arguments,
            "sim_time": self.sim_time,
            "result": self.result,
            "error": self.error,
            "http_status": self.http_status,
        }
        if self.reading is not None:  # only when it happened: older transcripts stay equal
            data["reading"] = self.reading
        if timing:
            data["duration_ms"] = round(self.duration_ms, 3)
        if raw:
            data["request_xml"] = _text(self.request_xml)
            data["response_xml"] = _text(self.response_xml)
        return data


@dataclass
class QbxmlExchange:
    """One request handed to QuickBooks and what came back (hresult set when it failed)."""

    seq: int
    sim_time: str
    request: str
    response: str
    hresult: str = ""
    message: str = ""
    note: str = ""  # e.g. which injected fault or read-only refusal shaped this answer
    #: the request type the simulated QuickBooks does not model ("" = it answered): the
    #: service was told QuickBooks failed the request, and the scenario proves nothing
    not_modeled: str = ""

    @property
    def request_types(self) -> list[str]:
        """The request's types in message-set order (``InvoiceAdd``...), [] if unreadable."""
        return qbxml_request_types(self.request)

    @property
    def answers(self) -> list[dict[str, str]]:
        """Each response of the answer, in order: its type (``CustomerAdd``), requestID,
        statusCode, statusSeverity and statusMessage ("" where absent); [] if none."""
        return [
            {
                "request": child.tag.removesuffix("Rs"),
                "request_id": child.get("requestID", ""),
                "status_code": child.get("statusCode", ""),
                "status_severity": child.get("statusSeverity", ""),
                "status_message": child.get("statusMessage", ""),
            }
            for child in _messages(self.response, "Rs")
        ]

    def to_dict(self, **_: bool) -> dict[str, Any]:
        data = {
            "seq": self.seq,
            "kind": "qbxml",
            "sim_time": self.sim_time,
            "request": self.request,
            "response": self.response,
            "hresult": self.hresult,
            "message": self.message,
            "note": self.note,
        }
        if self.not_modeled:  # only when it happened: older transcripts stay equal
            data["not_modeled"] = self.not_modeled
        return data


@dataclass
class Note:
    """Something the client did or decided that is not a call (a NoOp wait, a fault)."""

    seq: int
    sim_time: str
    text: str

    def to_dict(self, **_: bool) -> dict[str, Any]:
        return {"seq": self.seq, "kind": "note", "sim_time": self.sim_time, "text": self.text}


@dataclass
class Outcome:
    status: str
    message: str = ""
    code: str | None = None  # QBWC1012, QBWC1041, ... when the real client shows one

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "code": self.code, "message": self.message}


def qbxml_request_types(qbxml: str) -> list[str]:
    """A qbXML message set's request types in order (``InvoiceAdd``...), [] if unreadable."""
    return [child.tag.removesuffix("Rq") for child in _messages(qbxml, "Rq")]


def _messages(qbxml: str, kind: str) -> list[Any]:
    """The requests (``kind`` "Rq") or responses ("Rs") of a qbXML message set, in order;
    [] when it is unreadable or has none."""
    try:
        root = xmlsafe.parse(qbxml, what=f"a qbXML message set ({kind})")
    except (xmlsafe.UnsafeXmlError, xmlsafe.XMLSyntaxError):
        return []
    msgs = root.find(f"QBXMLMsgs{kind}")
    return [] if msgs is None else [child for child in msgs if isinstance(child.tag, str)]


Event = SoapCall | QbxmlExchange | Note


@dataclass
class Transcript:
    app_name: str
    user_name: str
    started_at: str
    ended_at: str = ""
    outcome: Outcome = field(default_factory=lambda: Outcome("error", "session did not finish"))
    events: list[Event] = field(default_factory=list)
    progress: list[int] = field(default_factory=list)
    ticket: str | None = None
    company_file: str | None = None
    postpone_seconds: int | None = None
    min_run_seconds: int | None = None

    # -- views ------------------------------------------------------------------------
    @property
    def calls(self) -> list[SoapCall]:
        return [e for e in self.events if isinstance(e, SoapCall)]

    @property
    def qbxml(self) -> list[QbxmlExchange]:
        return [e for e in self.events if isinstance(e, QbxmlExchange)]

    @property
    def notes(self) -> list[Note]:
        return [e for e in self.events if isinstance(e, Note)]

    def methods(self) -> list[str]:
        """The web methods called, in order: the first thing a protocol test asserts."""
        return [c.method for c in self.calls]

    # -- serialisation ----------------------------------------------------------------
    def to_dict(self, *, timing: bool = False, raw: bool = False) -> dict[str, Any]:
        return {
            "app_name": self.app_name,
            "user_name": self.user_name,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "outcome": self.outcome.to_dict(),
            "ticket": self.ticket,
            "company_file": self.company_file,
            "postpone_seconds": self.postpone_seconds,
            "min_run_seconds": self.min_run_seconds,
            "progress": list(self.progress),
            "events": [e.to_dict(timing=timing, raw=raw) for e in self.events],
        }

    def to_json(self, *, timing: bool = False, raw: bool = False, indent: int | None = 2) -> str:
        """Stable JSON; real durations only with ``timing=True`` (they differ run to run)."""
        return json.dumps(
            self.to_dict(timing=timing, raw=raw), indent=indent, sort_keys=True, ensure_ascii=False
        )

    def to_qbwc_log(self) -> str:
        """Lines in the manner of QWCLog.txt: timestamp, component, what happened."""
        lines: list[str] = []

        def emit(sim_time: str, where: str, text: str) -> None:
            lines.append(f"{_log_stamp(sim_time)} UTC\t: QBWebConnector.{where} : {text}")

        emit(
            self.started_at,
            "RegistryManager.getUpdateLock()",
            f"HKEY_CURRENT_USER\\Software"
            f"\\Intuit\\QBWebConnector\\UpdateLock has been set to True ({self.app_name})",
        )
        for event in self.events:
            if isinstance(event, SoapCall):
                where = f"SOAPWebService.do_{event.method}()"
                emit(event.sim_time, where, f"*** Calling {event.method}().")
                if event.error is not None:
                    emit(event.sim_time, where, f"Exception: {event.error}")
                else:
                    emit(
                        event.sim_time,
                        where,
                        f"Received from {event.method}(): {_show(event.result)}",
                    )
                    if event.reading is not None:
                        emit(event.sim_time, where, f"(harness) {event.reading}")
            elif isinstance(event, QbxmlExchange):
                where = "SOAPWebService.ProcessRequestXML()"
                emit(
                    event.sim_time,
                    where,
                    f"Request xml sent to QuickBooks: size (bytes) = "
                    f"{len(event.request.encode('utf-8'))}",
                )
                if event.hresult:
                    emit(
                        event.sim_time,
                        where,
                        f"QuickBooks returned hresult {event.hresult}: {event.message}",
                    )
                else:
                    emit(
                        event.sim_time,
                        where,
                        f"Response received from QuickBooks: size (bytes) "
                        f"= {len(event.response.encode('utf-8'))}",
                    )
            else:
                emit(event.sim_time, "WCWebServiceDoWork()", event.text)
        result = self.outcome.message or self.outcome.status
        emit(
            self.ended_at or self.started_at,
            "WCWebServiceDoWork()",
            f"Update result: {self.outcome.status}. {result}".rstrip(),
        )
        emit(
            self.ended_at or self.started_at,
            "RegistryManager.setUpdateLock()",
            "HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock has been set to False",
        )
        return "\n".join(lines) + "\n"


def _text(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", errors="replace")


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join("null" if v is None else repr(v) for v in value) + "]"
    return "null" if value is None else repr(value)


def _log_stamp(iso: str) -> str:
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y%m%d.%H:%M:%S")
