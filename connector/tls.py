"""HTTPS for ``connector serve``: cheroot's TLS adapter with the handshake moved out of
the accept loop, and connections whose requests must arrive within their deadlines.

cheroot's ``BuiltinSSLAdapter`` completes the TLS handshake in the thread that accepts
connections, so one client that opens a TCP connection and sends nothing stalled every
other client for the whole socket timeout (issue 23 item 8: about 10 s each). Here the
socket is wrapped without a handshake; OpenSSL performs it on the first read, in the
worker thread that serves the connection, bounded by the same timeout.

cheroot gives a connection a worker thread once it has something to read, and the thread
then reads the request with only a per-read timeout: clients dripping header bytes held
every thread. ``DeadlineConnection`` bounds the handshake and the request head, then the
whole request, by ``connector.deadlines``.
"""

from __future__ import annotations

import socket
import ssl
import time
from typing import Any

from cheroot.makefile import MakeFile, StreamReader
from cheroot.server import HTTPConnection, HTTPRequest
from cheroot.ssl.builtin import BuiltinSSLAdapter

from connector.deadlines import HEAD_SECONDS, REQUEST_SECONDS


class DeferredHandshakeAdapter(BuiltinSSLAdapter):
    def wrap(self, sock: socket.socket) -> tuple[ssl.SSLSocket, dict[str, Any]]:
        wrapped = self.context.wrap_socket(sock, do_handshake_on_connect=False, server_side=True)
        # cheroot's environ reads the negotiated cipher, unknown before the handshake; the
        # connector needs only the scheme.
        return wrapped, {"wsgi.url_scheme": "https", "HTTPS": "on"}


class _DeadlineReads(socket.SocketIO):
    """Socket reads that time out after ``read_seconds`` of silence or at ``deadline``,
    whichever comes first. Writes keep the socket's own timeout."""

    def __init__(self, sock: socket.socket, read_seconds: float | None) -> None:
        super().__init__(sock, "rb")
        self.read_seconds = read_seconds
        self.deadline: float | None = None

    def readinto(self, b: Any) -> int | None:
        if self.deadline is None:
            return super().readinto(b)
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")  # the text cheroot answers 408 for
        sock = self._sock  # type: ignore[attr-defined]
        sock.settimeout(left if self.read_seconds is None else min(self.read_seconds, left))
        try:
            return super().readinto(b)
        finally:
            sock.settimeout(self.read_seconds)


class _DeadlineReader(StreamReader):
    def __init__(self, reads: _DeadlineReads, bufsize: int) -> None:
        # StreamReader would make a plain SocketIO; its base takes the raw stream given.
        super(StreamReader, self).__init__(reads, bufsize)
        self.bytes_read = 0


class DeadlineRequest(HTTPRequest):
    def parse_request(self) -> None:
        """The head is in: from now on the whole request's deadline applies."""
        super().parse_request()
        conn: DeadlineConnection = self.conn
        conn.reads.deadline = conn.started + conn.request_seconds


class DeadlineConnection(HTTPConnection):
    """One request per ``communicate``: its head within ``head_seconds`` (the TLS
    handshake included), all of it within ``request_seconds``."""

    RequestHandlerClass = DeadlineRequest
    head_seconds = HEAD_SECONDS
    request_seconds = REQUEST_SECONDS

    def __init__(self, server: Any, sock: socket.socket, makefile: Any = MakeFile) -> None:
        self.reads = _DeadlineReads(sock, sock.gettimeout())
        self.started = time.monotonic()

        def files(sock: socket.socket, mode: str, bufsize: int) -> Any:
            # The reading side through the deadline; writing as cheroot's adapter makes it.
            return (
                _DeadlineReader(self.reads, bufsize)
                if "r" in mode
                else makefile(sock, mode, bufsize)
            )

        super().__init__(server, sock, files)

    def communicate(self) -> bool:
        self.started = time.monotonic()
        self.reads.deadline = self.started + self.head_seconds
        try:
            return bool(super().communicate())
        finally:
            self.reads.deadline = None
