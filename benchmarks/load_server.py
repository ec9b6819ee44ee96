"""The reference connector on real HTTP on loopback, in its own process, for the load benchmark.

    python -m benchmarks.load_server --users 100 --workdir DIR [--threads 4]

Prints ``{"port": N}`` once it listens on 127.0.0.1, serves until its stdin closes (or
``--max-seconds`` pass), then writes the server-side time of every SOAP call to
``DIR/server_stats.json`` and exits. Users are ``user000``.. with company files
``company_file(k)``, all with the password ``PASSWORD``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
from waitress import wasyncore
from waitress.server import create_server

from connector.cli import DEFAULT_CONNECTION_LIMIT, DEFAULT_THREADS

PASSWORD = "bench-password-1"  # a credential of the simulated world


def company_file(k: int) -> str:
    return rf"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Bench Company {k:03d}.QBW"


def user_name(k: int) -> str:
    return f"user{k:03d}"


class Timed:
    """Records how long the connector takes for each call (body included), server side."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.samples: list[tuple[str, float]] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        started = time.perf_counter()
        body = b"".join(self.app(environ, start_response))
        elapsed = (time.perf_counter() - started) * 1000.0
        action = environ.get("HTTP_SOAPACTION", "").strip('"').rsplit("/", 1)[-1]
        with self._lock:
            self.samples.append((action, elapsed))
        return [body]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    # As `connector serve` (connector/cli.py): waitress' own default connection limit (100)
    # counts its listening socket and trigger, so 100 Web Connectors holding keep-alive
    # connections were never all accepted (measured: 60 s calls).
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--connection-limit", type=int, default=DEFAULT_CONNECTION_LIMIT)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    from connector import ConnectorSettings, make_wsgi_app
    from connector.passwords import hash_password
    from harness.fake_fieldservice import FieldServiceApp

    app = FieldServiceApp()  # its payment modes include Cash
    hashed = hash_password(PASSWORD)  # scrypt once; every user shares it
    settings = ConnectorSettings(
        db_path=str(args.workdir / "connector.sqlite3"),
        users=[
            {"username": user_name(k), "password": hashed, "company_file": company_file(k)}
            for k in range(args.users)
        ],
        app_transport=httpx.WSGITransport(app=app.wsgi),
    )
    timed = Timed(make_wsgi_app(settings))
    server = create_server(
        timed,
        host="127.0.0.1",
        port=0,
        threads=args.threads,
        connection_limit=args.connection_limit,
    )
    port = server.socket.getsockname()[1]
    thread = threading.Thread(target=server.run, name="load-server", daemon=True)
    thread.start()
    print(json.dumps({"port": port}), flush=True)
    stopper = threading.Thread(target=sys.stdin.read, daemon=True)
    stopper.start()
    stopper.join(timeout=args.max_seconds)
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))  # see harness.serve
    thread.join(timeout=5)
    server.task_dispatcher.shutdown()
    with timed._lock:
        samples = list(timed.samples)
    (args.workdir / "server_stats.json").write_text(json.dumps(samples))


if __name__ == "__main__":
    main()
