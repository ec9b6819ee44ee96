"""Web-method calls outside any session: one call made by hand (a stale or forged ticket, a
call out of order) and the HTTP layer's replay of a receiveResponseXML whose answer was
lost. Each is recorded as a transcript of its own with that one call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from harness.webconnector.errors import METHOD_FAILURE_CODES, SoapCallError, qbwc_message
from harness.webconnector.qwc import QwcFile
from harness.webconnector.soap_client import QbwcSoapClient
from harness.webconnector.transcript import REDACTED, Outcome, SoapCall, Transcript


def default_arguments(method: str, user: str, password: str) -> dict[str, Any]:
    """What the real client would send for ``method`` (guide p.61-80), ticket left blank."""
    arguments: dict[str, dict[str, Any]] = {
        "serverVersion": {},
        "clientVersion": {"strVersion": "2.3.0.36"},
        "authenticate": {"strUserName": user, "strPassword": password},
        "sendRequestXML": {
            "ticket": "",
            "strHCPResponse": "",
            "strCompanyFileName": "",
            "qbXMLCountry": "US",
            "qbXMLMajorVers": 13,
            "qbXMLMinorVers": 0,
        },
        "receiveResponseXML": {"ticket": "", "response": "", "hresult": "", "message": ""},
        "connectionError": {"ticket": "", "hresult": "", "message": ""},
        "getLastError": {"ticket": ""},
        "closeConnection": {"ticket": ""},
    }
    return arguments[method]


def last_ticket(transcripts: Iterable[Transcript]) -> str:
    """The ticket of the latest session that had one ("" when none did)."""
    return next((t.ticket for t in reversed(list(transcripts)) if t.ticket), "")


def single_call(
    client: QbwcSoapClient,
    qwc: QwcFile,
    password: str,
    now: datetime,
    method: str,
    ticket: str | None = None,
    arguments: Mapping[str, Any] | None = None,
) -> Transcript:
    """Call ``method`` once with the arguments the real client would send, ``arguments``
    laid over them; a failed call ends the transcript with the code QBWC would show."""
    args = default_arguments(method, qwc.user_name, password)
    if "ticket" in args:
        args["ticket"] = ticket or ""
    args.update(arguments or {})
    stamp = now.isoformat()
    transcript = Transcript(qwc.app_name, qwc.user_name, stamp, stamp, ticket=ticket)
    shown = {k: (REDACTED if k == "strPassword" else v) for k, v in args.items()}
    record = SoapCall(1, method, shown, stamp)
    transcript.events.append(record)
    try:
        answer = client.call(method, args)
    except SoapCallError as exc:
        record.error, record.http_status = exc.message, exc.status
        code = METHOD_FAILURE_CODES.get(method)
        detail = qbwc_message(code, exc.message) if code else exc.message
        transcript.outcome = Outcome("error", detail, code)
    else:
        record.result, record.http_status = answer.value, answer.status
        record.reading = "; ".join(answer.notes) or None
        transcript.outcome = Outcome("completed", str(answer.value))
    return transcript


def response_to_replay(
    transcripts: Iterable[Transcript], request: str
) -> tuple[str | None, dict[str, Any]]:
    """The ticket and the other arguments of the last receiveResponseXML that carried the
    response to ``request`` (e.g. ``ReceivePaymentAdd``): what an HTTP retry of that POST
    sends again. ValueError when no call carried one."""
    marker = f"<{request.removesuffix('Rq').removesuffix('Rs')}Rs"
    for transcript in reversed(list(transcripts)):
        for call in reversed(transcript.calls):
            if call.method == "receiveResponseXML" and marker in str(
                call.arguments.get("response", "")
            ):
                replay = {k: v for k, v in call.arguments.items() if k != "ticket"}
                return call.arguments.get("ticket"), replay
    raise ValueError(f"no receiveResponseXML carried a {marker[1:]} response to replay")
