"""``replay CAPTURE --url/--qwc``: play the Web Connector of a capture against a connector,
answering its requests with QuickBooks' recorded responses, and report the first point
where the connector does something else than it did when the capture was made.

Each recorded call is made again with its recorded arguments, but the ticket (the one this
connector hands out now) and the password (given to ``replay``). Compared: every answer but
authenticate's ticket; a qbXML request element by element, ignoring ``requestID`` values
(a connector may number its requests afresh). The connector must start in the state it had
when the capture was made (its database, its app's data): that is the user's part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.capture.capture_file import REDACTED, Capture, CapturedCall
from harness.capture.fidelity import QbxmlDiff
from harness.webconnector.errors import SoapCallError
from harness.webconnector.session import carries_request
from harness.webconnector.soap_client import QbwcSoapClient
from harness.webconnector.transport import Transport


@dataclass(frozen=True)
class Divergence:
    call: CapturedCall
    what: list[str]

    def __str__(self) -> str:
        head = f"call {self.call.seq} ({self.call.method}, capture line {self.call.line})"
        return "\n".join([f"first divergence at {head}:", *(f"  {w}" for w in self.what)])


def replay_against(
    capture: Capture, url: str, password: str, transport: Transport
) -> tuple[int, Divergence | None]:
    """(calls replayed, the first divergence or None)."""
    client = QbwcSoapClient(url, transport)
    tickets: dict[str, str] = {}
    for done, call in enumerate(capture.calls):
        arguments = _arguments(call, password, tickets)
        try:
            answer = client.call(call.method, arguments).value
        except SoapCallError as exc:
            if call.fault or (call.status or 200) >= 400:
                continue  # it failed in production too
            return done, Divergence(call, [f"no usable answer now: {exc.message}"])
        if call.fault:
            return done, Divergence(call, [f"an answer now; then: {call.fault}"])
        if call.method == "authenticate" and isinstance(answer, list) and answer:
            if isinstance(call.result, list) and call.result:
                tickets[str(call.result[0])] = str(answer[0])
            differences = _compare(call.result[1:] if call.result else [], answer[1:])
        elif (
            call.method == "sendRequestXML"
            and carries_request(call.result)
            and carries_request(answer)
        ):
            diff = QbxmlDiff(call.seq, call.line, None, frozenset({"requestID"}))
            diff.messages(str(call.result), str(answer))
            differences = [f"{d.where}: recorded {d.recorded}, now {d.fake}" for d in diff.found]
        else:
            differences = _compare(call.result, answer)
        if differences:
            return done, Divergence(call, differences)
    return len(capture.calls), None


def _arguments(call: CapturedCall, password: str, tickets: dict[str, str]) -> dict[str, Any]:
    arguments = dict(call.arguments)
    if arguments.get("strPassword") == REDACTED:
        arguments["strPassword"] = password
    if "ticket" in arguments:
        arguments["ticket"] = tickets.get(str(arguments["ticket"]), arguments["ticket"])
    return arguments


def _compare(recorded: Any, now: Any) -> list[str]:
    if recorded == now or (recorded in (None, "") and now in (None, "")):
        return []
    return [f"answer: recorded {recorded!r}, now {now!r}"]
