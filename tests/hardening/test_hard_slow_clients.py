"""Issue 23 item 8: a client that sends its request slowly is disconnected at the request's
deadline (connector.deadlines), under cheroot (HTTPS) and waitress (plain HTTP), however
often it sends a byte; a prompt client on the same server is answered. The deadlines are
made short here; benchmarks/slow_clients.py measures the attack on `connector serve`."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from cheroot.wsgi import Server
from waitress import wasyncore

from connector import plain_http
from connector.tls import DeadlineConnection

#: Deadlines of these tests (seconds), and the bound of every wait.
HEAD, REQUEST, BOUND = 0.6, 1.5, 15.0


def hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"] if body is not None else []


class ShortDeadlines(DeadlineConnection):
    head_seconds, request_seconds = HEAD, REQUEST


@contextmanager
def cheroot_server() -> Iterator[int]:
    server = Server(("127.0.0.1", 0), hello, numthreads=2, timeout=10)
    server.ConnectionClass = ShortDeadlines
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        yield server.bind_addr[1]
    finally:
        server.stop()


@contextmanager
def waitress_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setattr(plain_http.DeadlineChannel, "head_seconds", HEAD)
    monkeypatch.setattr(plain_http.DeadlineChannel, "request_seconds", REQUEST)
    server = plain_http.create_deadline_server(hello, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.socket.getsockname()[1]
    finally:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(BOUND)
        server.task_dispatcher.shutdown()


def held_for(port: int, first: bytes, drip: bytes) -> float:
    """Seconds until the server ends a connection that sent ``first`` and then ``drip``
    every 0.2 s (well under any read timeout)."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=BOUND) as sock:
        if first:
            sock.sendall(first)
        sock.settimeout(0.2)
        while time.monotonic() - start < BOUND:
            try:
                sock.recv(4096)  # 408 or b"": the server is done with it
                break
            except TimeoutError:
                if drip:
                    try:
                        sock.sendall(drip)
                    except OSError:
                        break
            except OSError:
                break
    return time.monotonic() - start


def answered(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=BOUND) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return sock.recv(64).startswith(b"HTTP/1.1 200")


SLOW_HEAD = (b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", b"x")
SLOW_BODY = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", b"x")


@pytest.mark.parametrize(("first", "drip"), [SLOW_HEAD, SLOW_BODY], ids=["head", "body"])
def test_cheroot_drops_a_dripping_client_at_its_deadline(first: bytes, drip: bytes) -> None:
    with cheroot_server() as port:
        held = held_for(port, first, drip)
        assert answered(port)
    allowed = HEAD if drip and first == SLOW_HEAD[0] else REQUEST
    # Ended by the deadline, not by the 10 s read timeout it keeps resetting (nor BOUND).
    assert allowed <= held < allowed + 5


@pytest.mark.parametrize(
    ("first", "drip"), [SLOW_HEAD, SLOW_BODY, (b"", b"")], ids=["head", "body", "silent"]
)
def test_waitress_drops_a_slow_or_silent_connection_at_its_deadline(
    monkeypatch: pytest.MonkeyPatch, first: bytes, drip: bytes
) -> None:
    with waitress_server(monkeypatch) as port:
        held = held_for(port, first, drip)
        assert answered(port)
    allowed = REQUEST if first == SLOW_BODY[0] else HEAD
    # waitress would have kept it for channel_timeout (120 s by default) or for ever.
    assert allowed <= held < allowed + 5


def test_waitress_keeps_an_idle_kept_alive_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Between requests the deadline does not run: the .NET client reuses its connection
    (the idle bound is channel_timeout, 110 s under `connector serve`)."""
    with (
        waitress_server(monkeypatch) as port,
        socket.create_connection(("127.0.0.1", port), timeout=BOUND) as sock,
    ):
        for _ in range(2):
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while not answer.endswith(b"\r\n\r\nok"):  # the head, then the 2-byte body
                chunk = sock.recv(4096)
                assert chunk, f"closed after {answer!r}"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200")
            time.sleep(HEAD * 3)  # idle longer than the head deadline


def test_cheroot_drops_a_client_dripping_its_tls_handshake(certificate: Any) -> None:
    """The handshake happens in the first read of the request head (connector.tls), so the
    head's deadline bounds it too: a client sending its ClientHello a byte at a time is
    dropped like one dripping headers."""
    from connector.tls import DeferredHandshakeAdapter

    cert, key = certificate
    server = Server(("127.0.0.1", 0), hello, numthreads=2, timeout=10)
    server.ssl_adapter = DeferredHandshakeAdapter(str(cert), str(key))
    server.ConnectionClass = ShortDeadlines
    server.prepare()
    threading.Thread(target=server.serve, daemon=True).start()
    try:
        held = held_for(server.bind_addr[1], b"\x16\x03\x01", b"\x00")
    finally:
        server.stop()
    assert HEAD <= held < HEAD + 5
