"""The harness as the client of a hostile vendor service: what each attack costs certify
(issue 23 item 11), with the default bounds. ``python -m benchmarks.hostile_vendor``.

The vendor is a raw loopback socket server: each request is read whole and answered by a
function of the request, which writes whatever bytes it likes, as slowly as it likes
(tests/hardening uses the same server, with small bounds). Figures: wall time of the
call, the process' peak memory (ru_maxrss) after each attack, and what the call reported.
"""

from __future__ import annotations

import functools
import resource
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: answer(request bytes, connected socket): writes the answer, may sleep, may close.
Answer = Callable[[bytes, socket.socket], None]


@dataclass
class HostileVendor:
    answer: Answer
    requests: list[bytes] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}/qbwc"

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            try:
                request = read_request(conn)
                self.requests.append(request)
                self.answer(request, conn)
            except OSError:
                pass  # the client gave up: what these tests provoke

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@contextmanager
def hostile_vendor(answer: Answer) -> Iterator[HostileVendor]:
    vendor = HostileVendor(answer)
    try:
        yield vendor
    finally:
        vendor.stop()


def head(status: str, *headers: str) -> bytes:
    return ("\r\n".join([f"HTTP/1.1 {status}", *headers]) + "\r\n\r\n").encode("latin-1")


def _endless(request: bytes, conn: socket.socket) -> None:
    conn.sendall(head("200 OK", "Content-Type: text/xml", "Content-Length: 6000000000"))
    chunk = b"<a>" * 350_000
    while True:
        conn.sendall(chunk)


@functools.cache
def _compressed_zeros(size: int) -> bytes:
    """gzip of ``size`` zero bytes, made a MiB at a time (the bomb, not its payload); made
    when an attack first sends it (about 10 s), not when the module is imported."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: the gzip format
    block = b"\0" * (1024 * 1024)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


def _gzip_bomb(request: bytes, conn: socket.socket) -> None:
    bomb = _compressed_zeros(1024**3)  # 1 GiB of zeros in about 1 MiB
    conn.sendall(
        head(
            "200 OK",
            "Content-Type: text/xml",
            "Content-Encoding: gzip",
            f"Content-Length: {len(bomb)}",
        )
        + bomb
    )


def _slow_drip(request: bytes, conn: socket.socket) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"x" * 100_000:
        conn.sendall(bytes([byte]))
        time.sleep(0.5)


ATTACKS = {"6 GB body": _endless, "gzip bomb (1 GiB)": _gzip_bomb, "slow drip": _slow_drip}


def run(timeout: float = 5.0) -> list[dict[str, object]]:
    from harness.webconnector import HttpTransport
    from harness.webconnector.errors import SoapCallError
    from harness.webconnector.soap_client import QbwcSoapClient

    rows = []
    for name, answer in ATTACKS.items():
        with hostile_vendor(answer) as vendor:
            client = QbwcSoapClient(vendor.url, HttpTransport(timeout=timeout))
            started = time.perf_counter()
            try:
                client.call("serverVersion", {})
                outcome = "answered"
            except SoapCallError as exc:
                outcome = exc.message
            seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        rows.append(
            {"attack": name, "seconds": round(seconds, 2), "peak_mib": peak, "outcome": outcome}
        )
    return rows


if __name__ == "__main__":
    for row in run():
        print(
            f"{row['attack']:<20} {row['seconds']:>7} s  peak {row['peak_mib']:>5} MiB  "
            f"{row['outcome']}"
        )
