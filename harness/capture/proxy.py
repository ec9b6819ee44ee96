"""The recording proxy of ``qbwc-harness record``: a WSGI app between a Web Connector and
a QBWC service that forwards every request unchanged and writes each call to a capture file.

Forwarding comes first: the body, the status code, the headers (but hop-by-hop ones) and
SOAP faults pass as they are; recording happens on a writer thread after the answer is
built, so a slow disk adds nothing to a call, and a capture file that cannot be written is
reported once on stderr while forwarding goes on.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import httpx
from lxml import etree

from harness import xmlsafe
from harness.capture.capture_file import REDACTED, SECRET_ARGUMENTS, CapturedCall, header
from harness.webconnector.contract import load_contract
from harness.webconnector.envelope import read_result
from harness.webconnector.errors import SoapCallError

#: Headers that belong to one connection, not to the message (RFC 9110 section 7.6.1).
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "host",
}
#: How the Web Connector's arguments and answers are read (the WSDL's names).


@dataclass(frozen=True)
class _Crossed:
    """One request and its answer as they crossed the proxy, not yet read."""

    body: bytes
    request_headers: dict[str, str]
    status: int
    content: bytes
    response_headers: dict[str, str]
    duration_ms: float
    finished: str
    failure: str | None


#: A record still to be made: evaluated on the writer thread, None when there is nothing
#: to write (a GET of the WSDL).
Pending = Callable[[], str | None]


class CaptureWriter:
    """Makes and appends records on its own thread, in the order they were put, so the
    call path only queues; a record that cannot be made or written is reported once on
    ``errors``, never raised."""

    def __init__(self, path: Path, upstream: str, errors: TextIO = sys.stderr) -> None:
        self.path = path
        self.errors = errors
        self.failed = False
        self._queue: queue.Queue[Pending | None] = queue.Queue()
        first = header(upstream, datetime.now(UTC).isoformat())
        self._queue.put(lambda: first)
        self._thread = threading.Thread(target=self._run, name="capture-writer", daemon=True)
        self._thread.start()

    def put(self, pending: Pending) -> None:
        self._queue.put(pending)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while (pending := self._queue.get()) is not None:
            try:
                line = pending()
                if line is None:
                    continue
                with self.path.open("a", encoding="utf-8") as stream:
                    stream.write(line + "\n")
            except Exception as exc:  # the proxy goes on forwarding whatever happens here
                self._report(exc)

    def _report(self, exc: Exception) -> None:
        if not self.failed:
            self.failed = True
            print(
                f"record: cannot write {self.path} ({exc}); still forwarding, not recording",
                file=self.errors,
            )


class RecordingProxy:
    def __init__(
        self, upstream: str, writer: CaptureWriter, *, verify: bool = True, timeout: float = 120.0
    ) -> None:
        self.upstream = upstream
        self.writer = writer
        self._client = httpx.Client(verify=verify, timeout=timeout)
        self._seq = 0
        self._tickets: dict[str, str] = {}  # only the writer thread uses these two

    def close(self) -> None:
        self._client.close()
        self.writer.close()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_") and key[5:].replace("_", "-").lower() not in HOP_BY_HOP
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        query = f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else ""
        started = time.perf_counter()
        try:
            answer = self._client.request(
                environ["REQUEST_METHOD"], self.upstream + query, content=body, headers=headers
            )
        except httpx.HTTPError as exc:
            # The Web Connector sees what it would see without the proxy: no answer.
            start_response("502 Bad Gateway", [("Content-Type", "text/plain")])
            self._record(body, headers, 502, b"", {}, started, f"upstream unreachable: {exc}")
            return [b""]
        out_headers = [(k, v) for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP]
        out_headers.append(("Content-Length", str(len(answer.content))))
        start_response(f"{answer.status_code} {answer.reason_phrase}", out_headers)
        self._record(
            body, headers, answer.status_code, answer.content, dict(answer.headers), started, None
        )
        return [answer.content]

    def _record(
        self,
        body: bytes,
        request_headers: dict[str, str],
        status: int,
        content: bytes,
        response_headers: dict[str, str],
        started: float,
        failure: str | None,
    ) -> None:
        crossed = _Crossed(
            body,
            request_headers,
            status,
            content,
            response_headers,
            (time.perf_counter() - started) * 1000,
            datetime.now(UTC).isoformat(),
            failure,
        )
        self.writer.put(lambda: self._line(crossed))

    def _line(self, crossed: _Crossed) -> str | None:
        """The record of one call (on the writer thread: one at a time, in order)."""
        body, content = crossed.body, crossed.content
        # What cannot be read is recorded as such.
        try:
            method, arguments = _call_of(body)
        except Exception:
            method, arguments = "(unreadable request)", {}
        if method is None:  # a GET of the WSDL, say: not a web-method call
            return None
        result, fault = _answer_of(method, content)
        self._seq += 1
        arguments = self._mask(arguments)
        if method == "authenticate" and isinstance(result, list) and result:
            result = [self._ticket(result[0]), *result[1:]]
        call = CapturedCall(
            self._seq,
            method,
            arguments,
            result,
            crossed.status,
            crossed.failure or fault,
            crossed.finished,
            crossed.duration_ms,
            _safe_headers(crossed.request_headers),
            _safe_headers(crossed.response_headers),
        )
        return call.to_json()

    def _mask(self, arguments: dict[str, Any]) -> dict[str, Any]:
        masked = dict(arguments)
        for name in SECRET_ARGUMENTS:
            if name in masked:
                masked[name] = REDACTED
        if "ticket" in masked and masked["ticket"] is not None:
            masked["ticket"] = self._ticket(masked["ticket"])
        return masked

    def _ticket(self, real: str) -> str:
        return self._tickets.setdefault(real, f"ticket-{len(self._tickets) + 1}")


def _safe_headers(headers: dict[str, str]) -> dict[str, str]:
    """Headers as sent, but credentials (a service behind HTTP authentication)."""
    return {
        k: (REDACTED if k.lower() in ("authorization", "cookie", "set-cookie") else v)
        for k, v in headers.items()
    }


def _body(data: bytes) -> etree._Element | None:
    if not data:
        return None
    root = xmlsafe.parse(data, what="a SOAP envelope")
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname == "Body":
            return child
    return None


def _call_of(data: bytes) -> tuple[str | None, dict[str, Any]]:
    body = _body(data)
    if body is None or len(body) == 0:
        return None, {}
    element = body[0]
    arguments = {
        etree.QName(arg).localname: arg.text or "" for arg in element if isinstance(arg.tag, str)
    }
    return etree.QName(element).localname, arguments


def _answer_of(method: str, data: bytes) -> tuple[Any, str | None]:
    """The answer as the simulated Web Connector reads it (``read_result``: "" and None
    apart, element content read as .NET reads it), or why it could not be read."""
    operation = load_contract().operations.get(method)
    if operation is None:
        return None, f"{method} is not a QBWC web method"
    try:
        return read_result(operation, data), None
    except SoapCallError as exc:
        return None, exc.message
