"""How SOAP requests reach the web service: in-process WSGI or real HTTP.

Both are zeep transports (``zeep.Transport`` subclasses), so the same client code runs over
a socket or straight into a WSGI callable, the way httpx's transports do.
"""

from __future__ import annotations

import io
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from requests.structures import CaseInsensitiveDict
from zeep.transports import Transport

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


class HttpTransport(Transport):
    """Real HTTP through requests; ``verify`` as in requests (False, True or a CA bundle)."""

    def __init__(self, *, verify: bool | str = True, timeout: float = 30.0) -> None:
        session = requests.Session()
        session.verify = verify
        # Only the headers the .NET client sends: no requests/zeep defaults (Accept, ...).
        session.headers = CaseInsensitiveDict()
        super().__init__(session=session, timeout=timeout, operation_timeout=timeout)

    def close(self) -> None:
        self.session.close()
