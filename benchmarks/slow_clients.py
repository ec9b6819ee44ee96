"""Slow and silent clients against a real ``connector serve`` process (issue 23 item 8).
``python -m benchmarks.slow_clients [--attackers N] [--idle N] [--seconds S]``.

Two attacks, each bounded by ``--seconds``:

- HTTPS, slow headers: N clients complete the TLS handshake, send the start of a request
  head, then one more header byte every 2 s (under the 10 s read timeout, so no single read
  ever times out). One second later a normal client asks ``GET /health``.
- Plain HTTP (waitress), idle sockets: N TCP connections that never send a byte, then a
  normal client asks ``GET /health``.

Figures: how long the normal client waited for its answer (or "not served" within the
bound), and how long the server kept the attackers' connections open. Needs the
``openssl`` command (a throwaway certificate for localhost).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

#: One header byte this often: well under the server's 10 s per-read timeout.
DRIP_SECONDS = 2.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@contextmanager
def served(folder: Path, *extra: str) -> Iterator[int]:
    """``connector serve`` on a free loopback port, in its own process."""
    port = _free_port()
    config = folder / "connector.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "db_path": str(folder / "c.db"),
                "app_base_url": "http://127.0.0.1:9",  # never called: /health only
                "users": [{"username": "u", "password": "bench-password-1"}],
            }
        )
    )
    args = [sys.executable, "-m", "connector.cli", "serve", "--config", str(config)]
    with (folder / "serve.log").open("ab") as log:
        process = subprocess.Popen(
            [*args, "--port", str(port), *extra], stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _health(port: int, context: ssl.SSLContext | None, bound: float) -> float | None:
    """Seconds until ``GET /health`` is answered, None if not within ``bound``."""
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=bound) as raw:
            sock = context.wrap_socket(raw, server_hostname="localhost") if context else raw
            sock.settimeout(max(0.1, bound - (time.monotonic() - start)))
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            answer = sock.recv(64)
    except OSError:
        return None
    return time.monotonic() - start if answer.startswith(b"HTTP/1.1 200") else None


class Attacker(threading.Thread):
    """One connection (TLS when ``tls``) that sends the start of a request head and then one
    byte every DRIP_SECONDS, or, without TLS, nothing at all; records when the server
    closed it."""

    def __init__(self, port: int, tls: ssl.SSLContext | None, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port, self.tls, self.stop = port, tls, stop
        self.opened = time.monotonic()
        self.closed_after: float | None = None

    def run(self) -> None:
        try:
            raw = socket.create_connection(("127.0.0.1", self.port), timeout=30)
            with (
                self.tls.wrap_socket(raw, server_hostname="localhost") if self.tls else raw as sock
            ):
                if self.tls:
                    sock.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                while not self.stop.is_set():
                    if self.tls:
                        sock.sendall(b"X")
                    sock.settimeout(DRIP_SECONDS)
                    try:
                        sock.recv(4096)  # an answer (408, 400) or b"": closed by the server
                        break
                    except TimeoutError:
                        continue
        except OSError:
            pass
        if not self.stop.is_set():
            self.closed_after = time.monotonic() - self.opened


def _attack(port: int, count: int, tls: ssl.SSLContext | None, seconds: float) -> dict:
    stop = threading.Event()
    attackers = [Attacker(port, tls, stop) for _ in range(count)]
    for attacker in attackers:
        attacker.start()
    time.sleep(2.0)
    waited = _health(port, tls, seconds)
    # Let the attackers run out the bound, to see how long the server keeps them.
    end = attackers[0].opened + seconds
    for attacker in attackers:
        attacker.join(max(0.0, end - time.monotonic()))
    stop.set()
    closed = [a.closed_after for a in attackers if a.closed_after is not None]
    return {
        "attackers": count,
        "normal_client_seconds": None if waited is None else round(waited, 2),
        "attackers_closed_by_server": len(closed),
        "longest_kept_seconds": round(max(closed), 1) if closed else None,
        "bound_seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attackers", type=int, default=32, help="slow HTTPS clients")
    parser.add_argument("--idle", type=int, default=1000, help="idle plain HTTP sockets")
    parser.add_argument("--seconds", type=float, default=40.0, help="bound of each attack")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cert, key = _certificate(folder)
        context = ssl.create_default_context(cafile=str(cert))
        with served(folder, "--certfile", str(cert), "--keyfile", str(key)) as port:
            results["https_slow_headers"] = _attack(port, args.attackers, context, args.seconds)
        with served(folder) as port:
            results["http_idle_sockets"] = _attack(port, args.idle, None, args.seconds)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
