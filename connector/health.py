"""``GET /health``: is this connector up and can it reach its store?

For a load balancer or a supervisor. The answer says nothing about users, sessions or the
app (an unauthenticated caller learns only "ok" or "unavailable"): 200 ``{"status": "ok"}``
when the store answers a query, 503 ``{"status": "unavailable"}`` when it does not.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("connector.health")

HEALTH_PATH = "/health"


class HealthCheck:
    """WSGI middleware: answers ``GET``/``HEAD`` on ``path``, passes everything else on."""

    def __init__(
        self, app: Callable[..., Iterable[bytes]], probe: Callable[[], object], path: str = ""
    ) -> None:
        self.app = app
        self.probe = probe
        self.path = path or HEALTH_PATH

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO", "") != self.path or method not in {"GET", "HEAD"}:
            return self.app(environ, start_response)
        try:
            self.probe()
        except Exception:
            log.exception("health check: the store does not answer")
            status, answer = "503 Service Unavailable", {"status": "unavailable"}
        else:
            status, answer = "200 OK", {"status": "ok"}
        body = json.dumps(answer).encode("utf-8")
        start_response(
            status,
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [] if method == "HEAD" else [body]
