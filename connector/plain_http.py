"""Plain HTTP for ``connector serve``: waitress, with new connections and requests held to
the deadlines of ``connector.deadlines``.

waitress reads requests asynchronously, so a slow or silent client costs a connection, not
a thread; but connections are limited (``connection_limit``), and waitress closes a
connection only after ``channel_timeout`` seconds *without any byte*: 1000 sockets that
never send one locked every other client out until then (issue 23 item 8), and a client
sending one byte now and then kept its connection for good. ``DeadlineChannel`` closes a
connection whose request (for a new connection: its first request) has not arrived within
the deadlines. A kept-alive connection waiting between requests is bounded by
``channel_timeout`` as before.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server

from connector.deadlines import HEAD_SECONDS, REQUEST_SECONDS

log = logging.getLogger("connector.serve")


class DeadlineChannel(HTTPChannel):
    will_close: bool  # waitress' own flag, untyped there
    head_seconds = HEAD_SECONDS
    request_seconds = REQUEST_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: When the request being received began (a new connection: when it was accepted);
        #: None while no request is arriving (being served, or idle between requests).
        self.receiving_since: float | None = time.monotonic()

    def received(self, data: bytes) -> bool:
        if self.receiving_since is None and data:
            self.receiving_since = time.monotonic()
        try:
            return bool(super().received(data))
        finally:
            if self.request is None:  # every byte so far made whole requests
                self.receiving_since = None

    def readable(self) -> bool:
        """Called by waitress' loop for every connection about once a second: the check."""
        since = self.receiving_since
        if since is not None and not self.requests and not self.will_close:
            head_in = self.request is not None and self.request.headers_finished
            allowed = self.request_seconds if head_in else self.head_seconds
            if time.monotonic() - since > allowed:
                what = "request" if head_in else "request head"
                log.info("closing a connection whose %s took over %g s", what, allowed)
                self.will_close = True
        return bool(super().readable())


def create_deadline_server(app: Any, **options: Any) -> Any:
    """waitress' ``create_server`` whose connections are ``DeadlineChannel``s."""
    server = create_server(app, **options)
    listeners = server.map.values() if isinstance(server, MultiSocketServer) else [server]
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = DeadlineChannel
    return server


def serve_plain(app: Any, **options: Any) -> None:
    """Serve ``app`` until interrupted (waitress' ``serve`` with ``DeadlineChannel``)."""
    create_deadline_server(app, **options).run()
