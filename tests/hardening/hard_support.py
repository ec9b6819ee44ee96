"""Helpers for the hardening tests: a payment world, raw SOAP posts, state snapshots, and
`connector serve` as a real process. (A uniquely named module, so that no other
directory's conftest is picked up by accident.)"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import yaml
from lxml import etree

from harness.serve import serve_on_loopback
from harness.world import HARNESS_PASSWORD, HARNESS_USER, ExternalConnector, World, WorldOptions

NS = "http://developer.intuit.com/"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
CONNECTOR = [sys.executable, "-m", "connector.cli"]
#: Every subprocess and every wait is bounded by this many seconds.
PROCESS_TIMEOUT = 60.0
#: The connector's SQLite file in a process world's folder.
DB_NAME = "connector.sqlite3"
#: "Billion laughs": ten levels of entities, each ten of the one below (10**9 "lol"s).
BOMB_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def envelope(method: str, inner: str = "", *, prolog: str = "") -> bytes:
    """A .NET-shaped request envelope around ``inner`` (raw XML, not escaped)."""
    return (
        (prolog or '<?xml version="1.0" encoding="utf-8"?>')
        + f'<soap:Envelope xmlns:soap="{SOAP_NS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f'<soap:Body><{method} xmlns="{NS}">{inner}</{method}></soap:Body></soap:Envelope>'
    ).encode()


def params(**values: Any) -> str:
    """``<name>value</name>`` elements; values are escaped."""
    from xml.sax.saxutils import escape

    return "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in values.items())


def result_of(body: bytes, method: str) -> Any:
    """The web method's result from an answer: text, int-as-text or a list of strings."""
    root = etree.fromstring(body)
    result = root.find(f".//{{{NS}}}{method}Result")
    assert result is not None, body.decode(errors="replace")
    strings = result.findall(f"{{{NS}}}string")
    return [s.text or "" for s in strings] if strings else (result.text or "")


def fault_of(body: bytes) -> str:
    root = etree.fromstring(body)
    fault = root.find(f".//{{{SOAP_NS}}}Fault")
    assert fault is not None, body.decode(errors="replace")
    return fault.findtext("faultstring") or ""


# -- the world ---------------------------------------------------------------------------


def seed_invoices(world: World, invoices: int = 2, rate: str = "100.00") -> None:
    """The app gets a customer and invoices 1001..., QuickBooks the Cash payment method;
    the next sync takes the invoices to QuickBooks."""
    world.qbd.operator.add_payment_method(name="Cash")
    world.app.create_customer(name="Acme Plumbing")
    for n in range(invoices):
        world.app.create_invoice(
            customer="Acme Plumbing",
            number=str(1001 + n),
            lines=[{"description": "Service call", "quantity": 1, "rate": rate}],
        )


def payment_world(**options: Any) -> World:
    """An in-process world after the sync of ``seed_invoices``: ready for payments."""
    world = World.build(**options)
    seed_invoices(world)
    assert world.sync().outcome.status == "completed"
    return world


def add_payments(world: World, invoice: str, other: str) -> None:
    """One payment recorded in the app (on ``invoice``) and one received in QuickBooks
    (on ``other``): the next sync moves each to the other side."""
    world.app.record_payment(amount="40.00", mode="Cash", invoice=invoice)
    world.qbd.operator.receive_payment(
        customer="Acme Plumbing",
        amount="60.00",
        method="Cash",
        applied_to=[{"invoice": other, "amount": "60.00"}],
    )
    world.clock.advance(300)


def assert_payments_exactly_once(world: World) -> None:
    """Every app payment is in QuickBooks once and every QuickBooks payment in the app once."""
    app_payments = [p for p in world.app.snapshot()["payments"] if p.get("status") != "deleted"]
    qb_payments = world.qbd.snapshot().get("ReceivePayment", [])
    assert len(app_payments) == len(qb_payments), (app_payments, qb_payments)
    memos = [p.get("Memo", "") for p in qb_payments]
    txn_ids = [p["TxnID"] for p in qb_payments]
    for payment in app_payments:
        if payment.get("origin") == "qbd":
            assert txn_ids.count(payment["sync"]["external_id"]) == 1, payment
        else:
            assert memos.count(f"App payment {payment['id']}") == 1, (payment, memos)
            assert payment["sync"]["status"] == "synced", payment
    pulled = [p["sync"]["external_id"] for p in app_payments if p.get("origin") == "qbd"]
    assert len(pulled) == len(set(pulled))


# -- snapshots ---------------------------------------------------------------------------

#: What a refused call may change: the text getLastError answers, and the idle clock.
VOLATILE_TICKET_COLUMNS = ("last_error", "touched_at")


def store_snapshot(db_path: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the connector's SQLite file (read-only connection)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        out = {}
        for table in tables:
            columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
            keep = [c for c in columns if table != "tickets" or c not in VOLATILE_TICKET_COLUMNS]
            rows = db.execute(f"SELECT {', '.join(keep)} FROM {table} ORDER BY 1").fetchall()
            out[table] = rows
        return out
    finally:
        db.close()


def world_snapshot(world: World, db_path: str | Path) -> dict[str, Any]:
    """The connector's store, the app and QuickBooks, as data to compare."""
    return {
        "store": store_snapshot(db_path),
        "app": world.app.snapshot(),
        "qbd": world.qbd.snapshot(),
    }


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: what the corpus checks read (werkzeug's TestResponse has both)."""

    status_code: int
    data: bytes


class HttpClient:
    """Like werkzeug's test Client, over a real socket."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.session.trust_env = False

    def post(self, path: str, *, data: bytes, headers: dict[str, str]) -> Reply:
        answer = self.session.post(self.url + path, data=data, headers=headers, timeout=60)
        return Reply(answer.status_code, answer.content)


# -- `connector serve` as a real process -------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServedConnector:
    """One `connector serve` process; ``restart()`` starts a new one on the same files."""

    config: Path
    port: int
    log: Path
    extra_args: tuple[str, ...] = ()
    scheme: str = "http"
    verify: bool | str = True
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://localhost:{self.port}/"

    def start(self) -> None:
        args = [*CONNECTOR, "serve", "--config", str(self.config), "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*args, "--log-level", "debug", *self.extra_args],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        self.wait_healthy()

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + PROCESS_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log.read_text()
            try:
                answer = requests.get(self.url + "health", timeout=2, verify=self.verify)
            except requests.RequestException:
                time.sleep(0.05)
                continue
            assert answer.status_code == 200 and answer.json() == {"status": "ok"}
            return
        raise AssertionError(f"connector not healthy in time:\n{self.log.read_text()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no cleanup, no flush, as when the machine loses power."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=PROCESS_TIMEOUT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=PROCESS_TIMEOUT)


def write_config(path: Path, *, db: Path, app_url: str, users: list[dict[str, str]]) -> Path:
    path.write_text(
        yaml.safe_dump({"db_path": str(db), "app_base_url": app_url.rstrip("/"), "users": users})
    )
    return path


@contextmanager
def process_world(
    tmp: Path, *extra: str, scheme: str = "http", verify: bool | str = True
) -> Iterator[tuple[World, ServedConnector]]:
    """A world whose connector is `connector serve` in its own process (files in ``tmp``,
    ``extra`` arguments), reaching the app this test serves on loopback."""
    port = free_port()
    url = f"{scheme}://localhost:{port}/"
    world = World.build(
        options=WorldOptions(external=ExternalConnector(url, HARNESS_PASSWORD, verify=verify))
    )
    app_server = serve_on_loopback(world.app.wsgi)
    users = [{"username": HARNESS_USER, "password": HARNESS_PASSWORD}]
    config = write_config(
        tmp / "connector.yaml", db=tmp / DB_NAME, app_url=app_server.url, users=users
    )
    served = ServedConnector(config, port, tmp / "connector.log", extra, scheme, verify)
    try:
        served.start()
        yield world, served
    finally:
        served.stop()
        app_server.stop()
        world.close()
