"""``GET /status`` and ``GET /status.json``: WSGI middleware in front of the service.

Read-only: GET and HEAD only (anything else 405, before credentials are asked). Behind
the service's own credentials: HTTP Basic, checked by ``QbwcSessions.check_login``, the
check ``authenticate`` makes, sharing its per-address failed-login limit; without them
401 with a ``WWW-Authenticate`` challenge. A user bound to one company file sees that
company only. Never cached, never framed, no script allowed to run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from connector.status.basic_auth import CHALLENGE, basic_credentials
from connector.status.html import render_html
from connector.status.json_view import render_json
from connector.status.view import build_view
from connector.store import company_key

if TYPE_CHECKING:
    from connector.session import QbwcSessions

STATUS_PATH = "/status"
STATUS_JSON_PATH = "/status.json"
_RENDERERS = {
    STATUS_PATH: ("text/html; charset=utf-8", render_html),
    STATUS_JSON_PATH: ("application/json; charset=utf-8", render_json),
}
_SAFE_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    ),
    ("Referrer-Policy", "no-referrer"),
]


class StatusPage:
    """Answers the status paths; passes every other request on to ``app``."""

    def __init__(self, app: Callable[..., Iterable[bytes]], sessions: QbwcSessions) -> None:
        self.app = app
        self.sessions = sessions

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        renderer = _RENDERERS.get(environ.get("PATH_INFO", ""))
        if renderer is None:
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD")
        if method not in {"GET", "HEAD"}:
            return _plain(
                start_response,
                "405 Method Not Allowed",
                "The status page is read-only.\n",
                [("Allow", "GET, HEAD")],
            )
        credentials = basic_credentials(environ.get("HTTP_AUTHORIZATION", ""))
        source = str(environ.get("REMOTE_ADDR", ""))
        user = (
            None
            if credentials is None
            else self.sessions.check_login(*credentials, source, what="status page")
        )
        if user is None:
            return _plain(
                start_response,
                "401 Unauthorized",
                "Log in with the Web Connector's user name and password.\n",
                [("WWW-Authenticate", CHALLENGE)],
            )
        content_type, render = renderer
        view = build_view(
            self.sessions.store,
            self.sessions.app,
            company=company_key(user.company_file),
            now=self.sessions.clock.now().isoformat(),
        )
        body = render(view).encode("utf-8")
        start_response(
            "200 OK",
            [("Content-Type", content_type), ("Content-Length", str(len(body))), *_SAFE_HEADERS],
        )
        return [] if method == "HEAD" else [body]


def _plain(
    start_response: Callable[..., Any], status: str, text: str, extra: list[tuple[str, str]]
) -> Iterable[bytes]:
    body = text.encode("utf-8")
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *extra,
            *_SAFE_HEADERS,
        ],
    )
    return [body]
