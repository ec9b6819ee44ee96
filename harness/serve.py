"""Serve a WSGI application on loopback in a background thread (waitress), for runs and tests
that must cross a real socket."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from waitress import wasyncore
from waitress.server import create_server


@dataclass
class LoopbackServer:
    url: str
    _server: Any
    _thread: threading.Thread

    def stop(self) -> None:
        # close() alone only stops listening: an open keep-alive connection keeps waitress'
        # loop running, and this join waited its whole timeout (5 s a server). Closing every
        # socket from the loop's own thread ends the loop at once.
        server = self._server
        if not self._thread.is_alive():  # stopped already
            return
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError:
            # The loop's wake-up pipe is gone (EBADF, seen once in CI while the loop was
            # still running; cause not found): close the sockets from this thread instead,
            # which ends the loop at its next poll.
            wasyncore.close_all(server._map, ignore_all=True)
        self._thread.join(timeout=5)
        server.task_dispatcher.shutdown()


def serve_on_loopback(wsgi_app: Any, path: str = "") -> LoopbackServer:
    """Start ``wsgi_app`` on 127.0.0.1 at a free port; ``url`` is http://localhost:PORT/path
    (QBWC accepts plain http only for localhost)."""
    server = create_server(wsgi_app, host="127.0.0.1", port=0, threads=4, _start=True)
    port = server.socket.getsockname()[1]
    thread = threading.Thread(target=server.run, name=f"loopback:{port}", daemon=True)
    thread.start()
    return LoopbackServer(f"http://localhost:{port}{path}", server, thread)
