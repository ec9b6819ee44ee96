"""How SOAP requests reach the web service: in-process WSGI or real HTTP.

Both are zeep transports (``zeep.Transport`` subclasses), so the same client code runs over
a socket or straight into a WSGI callable, the way httpx's transports do.

Over HTTP the service is not ours (``certify``) and may be hostile, so every call is
bounded: no redirect is followed, an answer is read up to ``MAX_ANSWER_BYTES`` after
decompression, and the whole call, headers and body, gets ``timeout`` seconds of wall time
(not only per socket read). Each bound that trips raises ``AnswerRefused``, whose text
says what the service did.
"""

from __future__ import annotations

import contextlib
import io
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError as Urllib3Error
from zeep.transports import Transport

from harness.xmlsafe import MAX_XML_BYTES

WsgiApp = Callable[..., Iterable[bytes]]


class WsgiTransport(Transport):
    """Calls a WSGI application directly: no socket, no server thread.

    An exception escaping the application becomes an HTTP 500 answer, which is what a WSGI
    server in front of it would send.
    """

    def __init__(self, wsgi_app: WsgiApp) -> None:
        super().__init__()
        self.wsgi_app = wsgi_app
        #: Tracebacks of application crashes (a server would write them to its log).
        self.errors: list[str] = []

    def _call(
        self, method: str, address: str, body: bytes, headers: dict[str, str]
    ) -> requests.Response:
        url = urlsplit(address)
        https = url.scheme == "https"
        port = str(url.port or (443 if https else 80))
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(url.path) or "/",
            "QUERY_STRING": url.query,
            "SERVER_NAME": url.hostname or "localhost",
            "SERVER_PORT": port,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": url.scheme or "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        environ["HTTP_HOST"] = url.netloc or "localhost"
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key != "CONTENT_LENGTH":
                environ[f"HTTP_{key}"] = value

        captured: dict[str, Any] = {}

        def start_response(
            status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
        ):
            captured["status"] = status
            captured["headers"] = response_headers
            return lambda data: captured.setdefault("written", []).append(data)

        try:
            iterable = self.wsgi_app(environ, start_response)
            try:
                chunks = b"".join(iterable)
            finally:
                close = getattr(iterable, "close", None)
                if close is not None:
                    close()
            content = b"".join(captured.get("written", [])) + chunks
            status = captured["status"]  # KeyError: start_response never called
            response_headers = list(captured.get("headers", []))
            code_text, _, reason = status.partition(" ")
            code = int(code_text)
        except Exception:  # the application crashed or broke WSGI: a server answers 500
            self.errors.append(traceback.format_exc())
            code, reason = 500, "Internal Server Error"
            response_headers = [("Content-Type", "text/plain")]
            content = b"Internal Server Error"

        response = requests.Response()
        response.status_code = code
        response.reason = reason
        response.headers = CaseInsensitiveDict(response_headers)
        response._content = content
        response.url = address
        response.encoding = None
        return response

    def post(
        self, address: str, message: bytes | str, headers: dict[str, str]
    ) -> requests.Response:
        body = message.encode("utf-8") if isinstance(message, str) else message
        return self._call("POST", address, body, headers)

    def load(self, url: str) -> bytes:
        if url.startswith(("http://", "https://")):
            return self._call("GET", url, b"", {}).content
        return super().load(url)


#: The largest answer read from a service: nothing larger could be parsed (``xmlsafe``).
#: The harness' own bound, not QBWC's (whose limit, if any, is not documented).
MAX_ANSWER_BYTES = MAX_XML_BYTES
_CHUNK_BYTES = 64 * 1024


class AnswerRefused(requests.exceptions.RequestException):
    """An answer the harness stopped reading: too large, too slow, or cut off."""


class CallTimedOut(requests.exceptions.Timeout):
    """The call as a whole took longer than the transport's timeout."""


class _Watch(threading.local):
    """The sockets of the call this thread is making (none between calls)."""

    sockets: list[socket.socket] | None = None


_watch = _Watch()


def _watched(connection: type[HTTPConnection]) -> type[HTTPConnection]:
    """``connection`` that hands its socket to the current call before waiting for an
    answer, so that the call's deadline can shut it (a new or a kept-alive connection)."""

    class Watched(connection):  # type: ignore[valid-type, misc]
        def getresponse(self) -> Any:
            if _watch.sockets is not None and self.sock is not None:
                _watch.sockets.append(self.sock)
            return super().getresponse()

    return Watched


class _WatchedHttpPool(HTTPConnectionPool):
    ConnectionCls = _watched(HTTPConnection)


class _WatchedHttpsPool(HTTPSConnectionPool):
    ConnectionCls = _watched(HTTPSConnection)  # type: ignore[assignment]


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHttpPool,
            "https": _WatchedHttpsPool,
        }


def _shut(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)  # wakes a read blocked in another thread


class HttpTransport(Transport):
    """Real HTTP through requests; ``verify`` as in requests (False, True or a CA bundle)."""

    def __init__(
        self,
        *,
        verify: bool | str = True,
        timeout: float = 30.0,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        session = requests.Session()
        session.verify = verify
        # Only the headers the .NET client sends: no requests/zeep defaults (Accept, ...).
        session.headers = CaseInsensitiveDict()
        for scheme in ("http://", "https://"):
            session.mount(scheme, _WatchedAdapter())
        super().__init__(session=session, timeout=timeout, operation_timeout=timeout)
        self.verify = verify
        self.max_answer_bytes = max_answer_bytes

    def post(
        self, address: str, message: bytes | str, headers: dict[str, str]
    ) -> requests.Response:
        """One call, bounded as the module docstring says (zeep's own ``post`` logs the
        body at DEBUG, password included, and reads answers whole: not used)."""
        sockets: list[socket.socket] = []
        expired = threading.Event()

        def cut_off() -> None:
            expired.set()
            _shut(sockets)

        timer = threading.Timer(self.operation_timeout, cut_off)
        timer.daemon = True
        _watch.sockets = sockets
        timer.start()
        response: requests.Response | None = None
        try:
            response = self._post(address, message, headers)
        except requests.exceptions.RequestException:
            if not expired.is_set():
                raise
        finally:
            timer.cancel()
            _watch.sockets = None
        if expired.is_set() or response is None:  # also when the cut-off looked like an end
            raise CallTimedOut(
                f"the call took longer than {self.operation_timeout:g} s (--timeout) "
                "and was cut off"
            )
        return response

    def _post(self, address: str, message: bytes | str, headers: dict[str, str]) -> Any:
        response = self.session.post(
            address,
            data=message,
            headers=headers,
            timeout=self.operation_timeout,
            # The .NET SOAP client follows no redirect: HttpWebClientProtocol's
            # AllowAutoRedirect is false by default (learn.microsoft.com, System.Web.
            # Services.Protocols), so the password is never re-sent to another address.
            allow_redirects=False,
            # Explicit, so that REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE cannot replace
            # verify=False (--insecure): requests lets them override the session's value.
            verify=self.verify,
            stream=True,
        )
        try:
            response._content = self._read_answer(response)
        finally:
            response.close()
        return response

    def _read_answer(self, response: requests.Response) -> bytes:
        limit = self.max_answer_bytes
        chunks: list[bytes] = []
        size = 0
        try:
            # Decompressed in bounded steps (urllib3 2 caps each decoded chunk).
            for chunk in response.iter_content(_CHUNK_BYTES):
                size += len(chunk)
                if size > limit:
                    raise AnswerRefused(
                        f"the answer is larger than {limit} bytes (after decompression); "
                        "the harness stopped reading it"
                    )
                chunks.append(chunk)
        except (requests.exceptions.ChunkedEncodingError, Urllib3Error) as exc:
            raise AnswerRefused(
                "The underlying connection was closed: the answer was cut off after "
                f"{size} bytes, before its announced end (truncated answer: "
                f"{exc.__class__.__name__})"
            ) from None
        return b"".join(chunks)

    def close(self) -> None:
        self.session.close()
