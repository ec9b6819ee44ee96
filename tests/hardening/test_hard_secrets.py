"""A password never appears in a log, a transcript, a report or the connector's store.

Passwords here are distinctive strings, so a search for them cannot miss: the right one
(used by every successful sync) and a wrong one (a user's typo), through the real
`connector serve` logging at DEBUG, the in-process connector with every logger at DEBUG
(spyne's too), the transcripts in every form, and the harness' HTML/JUnit/JSON reports.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hard_support import (
    DB_NAME,
    add_payments,
    assert_payments_exactly_once,
    process_world,
    seed_invoices,
)

from connector.logs import make_handler
from harness.world import HARNESS_PASSWORD, World

WRONG = "Typo-Pa55word-0f-a-User"
SECRETS = (HARNESS_PASSWORD, WRONG)


def assert_no_secret(where: str, data: str | bytes) -> None:
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    for secret in SECRETS:
        assert secret not in text, f"a password is in {where}"
        # Also not in the forms a careless encoder would write it in.
        assert secret.encode().hex() not in text, f"a hex-encoded password is in {where}"


def run_payment_syncs(world: World) -> None:
    seed_invoices(world)
    assert world.sync().outcome.status == "completed"
    wrong = world.sync(password=WRONG)
    assert wrong.outcome.status == "nvu"
    add_payments(world, "1001", "1002")
    assert world.sync().outcome.status == "completed"
    assert_payments_exactly_once(world)


def check_transcripts(world: World) -> None:
    assert len(world.transcripts) == 3
    for n, transcript in enumerate(world.transcripts):
        assert_no_secret(f"transcript {n} (JSON)", transcript.to_json(timing=True, raw=True))
        assert_no_secret(f"transcript {n} (QWCLog)", transcript.to_qbwc_log())
        assert_no_secret(f"transcript {n} (repr)", repr(transcript))


def test_served_connector_at_debug(tmp_path: Path) -> None:
    """`connector serve --log-level debug`, JSON logs, the SQLite files, the transcripts."""
    with process_world(tmp_path, "--log-format", "json") as (world, connector):
        run_payment_syncs(world)
        connector.stop()
        check_transcripts(world)
    log = tmp_path / "connector.log"
    db = tmp_path / DB_NAME
    text = log.read_text()
    assert '"level": "debug"' in text or '"level": "info"' in text  # the log was written
    assert '"ticket_ref"' in text and '"company"' in text  # structured, with the session
    assert_no_secret("the connector's log", text)
    files = [p for p in tmp_path.iterdir() if p.name.startswith(db.name)]
    assert files, "the store file exists"
    for path in files:
        assert_no_secret(path.name, path.read_bytes())


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Every logger at DEBUG into our text and JSON formatters, spyne's XML logger too (it
    dumps whole request documents when its own level is DEBUG)."""
    stream = io.StringIO()
    handlers = [make_handler("text", stream), make_handler("json", stream)]
    root = logging.getLogger()
    xml_logger = logging.getLogger("spyne.protocol.xml")
    saved = root.level, xml_logger.level
    root.setLevel(logging.DEBUG)
    xml_logger.setLevel(logging.DEBUG)
    for handler in handlers:
        root.addHandler(handler)
    try:
        yield stream
    finally:
        for handler in handlers:
            root.removeHandler(handler)
        root.setLevel(saved[0])
        xml_logger.setLevel(saved[1])


def test_in_process_connector_with_every_logger_at_debug(debug_log: io.StringIO) -> None:
    world = World.build()
    try:
        run_payment_syncs(world)
        check_transcripts(world)
        store = Path(world.connector.settings.db_path)  # type: ignore[attr-defined]
        for path in store.parent.glob(store.name + "*"):
            assert_no_secret(path.name, path.read_bytes())
    finally:
        world.close()
    text = debug_log.getvalue()
    assert "authenticate" in text and "strUserName" in text  # spyne did dump the requests
    assert_no_secret("the DEBUG log", text)


SCENARIO = f"""\
id: hard-secrets
title: A payment sync, a mistyped password, and another sync
behaviors: [WC-02]
given:
  qbd:
    - add_payment_method: {{name: Cash}}
  app:
    - create_customer: {{name: Acme Plumbing}}
    - create_invoice:
        customer: Acme Plumbing
        number: "1001"
        lines: [{{description: Drain cleaning, quantity: 1, rate: "250.00"}}]
steps:
  - sync
  - sync: {{password: {WRONG}}}
  - qbd.receive_payment:
      customer: Acme Plumbing
      amount: "250.00"
      method: Cash
      applied_to: [{{invoice: "1001", amount: "250.00"}}]
  - clock: {{advance: 300}}
  - sync
  - expect:
      app:
        invoices:
          "1001": {{status: paid}}
expect:
  transcript:
    outcome: this-fails-on-purpose
"""


@pytest.mark.parametrize("transport", ["inprocess", "http"])
def test_reports_never_hold_a_password(tmp_path: Path, transport: str) -> None:
    """HTML, JUnit and JSON reports of a run that fails (so failure details, transcripts
    and the QWCLog are all written out) hold neither password."""
    from harness.cli import cli

    scenario = tmp_path / "hard-secrets.yaml"
    scenario.write_text(SCENARIO)
    reports = {name: tmp_path / name for name in ("report.html", "junit.xml", "results.json")}
    result = CliRunner().invoke(
        cli,
        [
            "run",
            str(scenario),
            "--transport",
            transport,
            "--html",
            str(reports["report.html"]),
            "--junit",
            str(reports["junit.xml"]),
            "--json",
            str(reports["results.json"]),
        ],
    )
    assert result.exit_code != 0, result.output  # the scenario fails on purpose
    assert "this-fails-on-purpose" in result.output
    assert_no_secret("the terminal report", result.output)
    for name, path in reports.items():
        text = path.read_text()
        if name != "results.json":  # the JSON results carry no transcript
            assert "authenticate" in text, name
        assert_no_secret(name, text)


@pytest.mark.parametrize(
    ("username", "password_element"),
    [
        # A user typed the password into the user-name field (logged at INFO as a name).
        (WRONG, f"<strPassword>{HARNESS_PASSWORD}</strPassword>"),
        # spyne's validation error quotes the value; the JSON log adds its traceback.
        ("harness", f'<strPassword xsi:type="xsd:int">{WRONG}</strPassword>'),
        ("harness", f'<strPassword xsi:type="xsd:dateTime">{WRONG}</strPassword>'),
        (WRONG, f'<strPassword xsi:nil="true">{HARNESS_PASSWORD}</strPassword>'),
    ],
)
def test_passwords_are_redacted_by_meaning_not_by_one_element(
    debug_log: io.StringIO, tmp_path: Path, username: str, password_element: str
) -> None:
    from hard_support import envelope
    from werkzeug.test import Client

    from connector import ConnectorSettings, make_wsgi_app

    settings = ConnectorSettings(
        app_base_url="http://localhost:9",
        db_path=str(tmp_path / "c.db"),
        users=[{"username": "harness", "password": HARNESS_PASSWORD}],
    )
    client = Client(make_wsgi_app(settings))
    body = envelope("authenticate", f"<strUserName>{username}</strUserName>{password_element}")
    client.post("/", data=body, headers={"Content-Type": "text/xml; charset=utf-8"})
    text = debug_log.getvalue()
    assert "authenticate" in text  # the call was logged
    assert_no_secret("the DEBUG log", text)


def test_live_tickets_are_stored_as_keys_in_private_files(tmp_path: Path) -> None:
    """A session held open mid-sync over a real `connector serve`: its ticket is in no
    store file (db, WAL, SHM), each of which only its owner can read."""
    import stat

    with process_world(tmp_path) as (world, connector):
        seed_invoices(world)
        web_connector = world.stations["default"].web_connector
        assert web_connector is not None
        steps = web_connector.steps()
        for transcript in steps:  # stop mid-session: the ticket is live
            if transcript.methods()[-1] == "sendRequestXML":
                break
        ticket = next(e.result[0] for e in transcript.events if e.method == "authenticate")
        files = [p for p in tmp_path.iterdir() if p.name.startswith(DB_NAME)]
        assert {p.name for p in files} >= {DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"}
        for path in files:
            assert ticket.encode() not in path.read_bytes(), path.name
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        steps.close()
        connector.kill()


def test_tickets_an_older_file_kept_in_clear_become_keys(tmp_path: Path) -> None:
    import sqlite3

    from connector.store import Store

    db = tmp_path / "old.sqlite3"
    Store(str(db)).close()
    live = "An-Old-Live-Ticket-In-Clear-0123456789abcdef"
    old = sqlite3.connect(db)
    old.execute(
        "INSERT INTO tickets (ticket, username, company_file, created_at, touched_at) "
        "VALUES (?, 'u', 'c:\\co.qbw', '2026-01-01', '2026-01-01')",
        (live,),
    )
    old.execute("INSERT INTO plan_items VALUES (?, 0, 'customer', 'c1', '{}')", (live,))
    old.commit()
    old.close()
    store = Store(str(db))
    assert store.get_ticket(live) is not None and not store.work_queue(live).is_empty()
    store.close()
    for path in tmp_path.iterdir():
        assert live.encode() not in path.read_bytes(), path.name


def test_a_vendors_tickets_are_not_in_certify_reports(tmp_path: Path) -> None:
    """certify against a service that is not the harness' own (served on loopback, with
    tickets we can recognize): its live tickets are in no report."""
    import itertools

    from connector import ConnectorSettings, make_wsgi_app
    from harness.cli import cli
    from harness.serve import serve_on_loopback

    numbers = itertools.count(1)
    settings = ConnectorSettings(
        app_base_url="http://localhost:9",
        db_path=str(tmp_path / "vendor.db"),
        users=[{"username": "vendor-sync", "password": HARNESS_PASSWORD}],
    )
    service = make_wsgi_app(settings, new_ticket=lambda: f"Vendor-Live-Ticket-{next(numbers)}")
    server = serve_on_loopback(service)
    reports = {name: tmp_path / name for name in ("r.html", "j.xml", "r.json")}
    repo = Path(__file__).resolve().parents[2]
    try:
        result = CliRunner().invoke(
            cli,
            [
                *("certify", str(repo / "scenarios/protocol/wc-01-any-connector.yaml")),
                *("--qwc", str(repo / "docs/examples/vendor.qwc"), "--url", server.url),
                *("--html", str(reports["r.html"]), "--junit", str(reports["j.xml"])),
                *("--json", str(reports["r.json"])),
            ],
            env={"QBWC_HARNESS_PASSWORD": HARNESS_PASSWORD},
        )
    finally:
        server.stop()
    assert next(numbers) > 1, result.output  # the service did hand out tickets
    assert "Vendor-Live-Ticket" not in result.output
    for name, path in reports.items():
        assert "Vendor-Live-Ticket" not in path.read_text(), name
    assert "[ticket " in reports["r.html"].read_text()
