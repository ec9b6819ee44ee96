"""Connector under load: N simulated Web Connectors, each with its own QuickBooks company,
against the reference connector served over real HTTP on loopback (waitress, in its own
process), N = 1, 10, 100.

Each company holds ``payments`` received payments (a RefNumber and TxnIDs unique to it), so a
session pages them with the connector's ReceivePaymentQuery iterator (50 per page) and asks
for deleted payments: serverVersion, clientVersion, authenticate, the request/response pairs,
closeConnection. Every Web Connector runs ``sessions`` sessions back to back (bounded, and
stopped at ``deadline`` seconds).

Reported: SOAP calls per second, p50/p99 latency per call as the client sees it (a call's
whole duration in the Web Connector) and as the server spends it, and cross-company leaks:

- every session completes, authenticate names the user's own company file, tickets are unique;
- every iteratorID a session continues was issued by its own company, and no 3391 answer;
- in the connector's SQLite afterwards: each ticket's user and company file belong together,
  and every attempt or mapping stored under a company names a TxnID of that company.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import sqlite3
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from connector.cli import DEFAULT_CONNECTION_LIMIT, DEFAULT_THREADS
from harness.clock import DEFAULT_START, SimClock
from harness.fake_qbd import CompanySettings, QBDCompany
from harness.webconnector import HttpTransport, QwcFile, WebConnector
from harness.webconnector.transcript import QbxmlExchange, SoapCall, Transcript

from .common import PYTHON, ROOT, median, percentile
from .load_server import PASSWORD, company_file, user_name

_ITERATOR_ID = re.compile(r'iteratorID="([^"]+)"')


def _company(k: int, payments: int) -> QBDCompany:
    # A clock of its own per company: IDs carry the creation time, so no two companies
    # share a TxnID and a leak is visible.
    clock = SimClock(DEFAULT_START + timedelta(days=k))
    company = QBDCompany(
        settings=CompanySettings(
            company_name=f"Bench Company {k:03d}", company_file=company_file(k)
        ),
        clock=clock,
    )
    company.operator.add_customer(f"Company {k:03d} Customer")
    company.operator.add_payment_method("Cash")
    for i in range(payments):
        company.operator.receive_payment(
            f"Company {k:03d} Customer",
            f"{k + 1}.{i % 100:02d}",
            method="Cash",
            ref_number=f"C{k:03d}-{i}",
        )
    return company


def _web_connector(k: int, company: QBDCompany, url: str) -> WebConnector:
    qwc = QwcFile(
        app_name="qbwc-harness load",
        app_id="",
        app_url="http://localhost/qbwc",
        app_description="load benchmark",
        app_support="http://localhost/qbwc",
        user_name=user_name(k),
        owner_id="{9C9E0F4B-0E8B-4E2A-9F3A-1B2C3D4E5F60}",
        file_id="{1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D}",
    )
    return WebConnector(
        qwc=qwc,
        password=PASSWORD,
        quickbooks=company,
        transport=HttpTransport(timeout=60.0),
        clock=company.clock,
        url=url,
        keep_raw=False,
    )


def _leaks_in_session(k: int, transcript: Transcript, company: QBDCompany) -> list[str]:
    problems = []
    if transcript.outcome is None or transcript.outcome.status != "completed":
        problems.append(f"company {k}: session ended {transcript.outcome}")
    own_file = company.settings.company_file.lower()
    issued: set[str] = set()
    for event in transcript.events:
        if isinstance(event, SoapCall) and event.method == "authenticate":
            answer = event.result if isinstance(event.result, list) else []
            if len(answer) < 2 or (answer[1] or "").lower() != own_file:
                problems.append(f"company {k}: authenticate answered {answer!r}")
        if isinstance(event, QbxmlExchange):
            asked = _ITERATOR_ID.search(event.request or "")
            if asked and asked.group(1) not in issued:
                problems.append(f"company {k}: continued an iterator it never got {asked[1]}")
            issued.update(_ITERATOR_ID.findall(event.response or ""))
            if 'statusCode="3391"' in (event.response or ""):
                problems.append(f"company {k}: 3391 (iterator of another company?)")
    return problems


def _leaks_in_store(
    db: Path, companies: list[QBDCompany], users: int, checked: dict[str, int]
) -> list[str]:
    problems = []
    txn_ids = {
        company.settings.company_file.strip().lower(): set(company.records["ReceivePayment"])
        for company in companies
    }
    owner = {user_name(k): company_file(k) for k in range(users)}
    with sqlite3.connect(db) as conn:
        for username, file in conn.execute("SELECT username, company_file FROM tickets"):
            checked["tickets"] = checked.get("tickets", 0) + 1
            if file and owner.get(username, "").lower() != file.lower():
                problems.append(f"ticket of {username} on {file}")
        for company, record_id in conn.execute(
            "SELECT company, record_id FROM attempts WHERE entity = 'payment'"
        ):
            checked["attempts"] = checked.get("attempts", 0) + 1
            if record_id not in txn_ids.get(company, set()):
                problems.append(f"attempt under {company} names {record_id}")
        for company, qb_id in conn.execute(
            "SELECT company, qb_id FROM mappings WHERE entity = 'payment'"
        ):
            checked["mappings"] = checked.get("mappings", 0) + 1
            if qb_id not in txn_ids.get(company, set()):
                problems.append(f"mapping under {company} names {qb_id}")
    return problems


#: Web Connectors per client process. Real Web Connectors are separate computers; a hundred
#: threads in one process would measure that process's GIL (a call's client-side time was
#: ~400x its server-side time at N=100 with one process), so they run in groups.
PER_PROCESS = 10


@dataclass
class GroupResult:
    """What one client process saw: per session, its calls and what its checks found."""

    calls: list[tuple[str, float]] = field(default_factory=list)
    tickets: list[str | None] = field(default_factory=list)
    sessions: int = 0
    leaks: list[str] = field(default_factory=list)


def _drive_group(
    ks: list[int],
    sessions: int,
    payments: int,
    url: str,
    start: Any,
    deadline: float,
    out: Any,
) -> None:
    """A client process: the Web Connectors ``ks``, each on a thread, ``sessions`` sessions
    back to back once ``start`` is set; the result goes to ``out``."""
    companies = {k: _company(k, payments) for k in ks}
    clients = {k: _web_connector(k, companies[k], url) for k in ks}
    result = GroupResult()
    lock = threading.Lock()

    def drive(k: int) -> None:
        stop_at = time.perf_counter() + deadline
        try:
            for _ in range(sessions):
                if time.perf_counter() > stop_at:
                    break
                transcript = clients[k].run_session()
                with lock:
                    result.sessions += 1
                    result.tickets.append(transcript.ticket)
                    result.leaks.extend(_leaks_in_session(k, transcript, companies[k]))
                    result.calls.extend(
                        (e.method, e.duration_ms or 0.0)
                        for e in transcript.events
                        if isinstance(e, SoapCall)
                    )
        except Exception as exc:  # a bug in the harness: reported, not hidden
            with lock:
                result.leaks.append(f"company {k}: {type(exc).__name__}: {exc}")

    workers = [threading.Thread(target=drive, args=(k,), daemon=True) for k in ks]
    start.wait()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=deadline + 60)
    out.put(result)


def run_level(
    n: int,
    sessions: int,
    payments: int = 60,
    threads: int = DEFAULT_THREADS,
    deadline: float = 240.0,
    connection_limit: int = DEFAULT_CONNECTION_LIMIT,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="qbwc-load-") as tmp:
        workdir = Path(tmp)
        server_args = ["--users", str(n), "--workdir", str(workdir), "--threads", str(threads)]
        server_args += ["--max-seconds", str(deadline + 120)]
        server_args += ["--connection-limit", str(connection_limit)]
        server = subprocess.Popen(
            [PYTHON, "-m", "benchmarks.load_server", *server_args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None and server.stdin is not None
            port = json.loads(server.stdout.readline())["port"]
            url = f"http://127.0.0.1:{port}/qbwc"
            context = multiprocessing.get_context("spawn")
            start, out = context.Event(), context.Queue()
            groups = [list(range(n))[i : i + PER_PROCESS] for i in range(0, n, PER_PROCESS)]
            processes = [
                context.Process(
                    target=_drive_group,
                    args=(ks, sessions, payments, url, start, deadline, out),
                    daemon=True,
                )
                for ks in groups
            ]
            for process in processes:
                process.start()
            # Each process builds its companies first; the clock starts when all are told.
            time.sleep(0.5)
            started = time.perf_counter()
            start.set()
            results: list[GroupResult] = [out.get(timeout=deadline + 300) for _ in groups]
            wall = time.perf_counter() - started
            for process in processes:
                process.join(timeout=60)
        finally:
            if server.stdin:
                server.stdin.close()
            server.wait(timeout=60)
        stats_path = workdir / "server_stats.json"
        server_samples = json.loads(stats_path.read_text()) if stats_path.exists() else []
        leaks = [leak for result in results for leak in result.leaks]
        tickets = [ticket for result in results for ticket in result.tickets]
        if len(set(tickets)) != len(tickets):
            leaks.append("a ticket was handed to two sessions")
        checked: dict[str, int] = {}
        companies = [_company(k, payments) for k in range(n)]  # as the clients built them
        leaks.extend(_leaks_in_store(workdir / "connector.sqlite3", companies, n, checked))
    calls = [call for result in results for call in result.calls]
    client_ms = [ms for _, ms in calls]
    server_ms = [ms for _, ms in server_samples]
    by_method: dict[str, list[float]] = {}
    for method, ms in calls:
        by_method.setdefault(method, []).append(ms)
    server_by_method: dict[str, list[float]] = {}
    for action, ms in server_samples:
        server_by_method.setdefault(action, []).append(ms)
    no_auth = [ms for method, ms in calls if method != "authenticate"]
    return {
        "web_connectors": n,
        "client_processes": len(groups),
        "sessions": sum(result.sessions for result in results),
        "soap_calls": len(calls),
        "wall_s": wall,
        "calls_per_s": len(calls) / wall if wall else None,
        "client_p50_ms": median(client_ms),
        "client_p99_ms": percentile(client_ms, 99),
        "client_p99_ms_without_authenticate": percentile(no_auth, 99),
        "server_p50_ms": median(server_ms),
        "server_p99_ms": percentile(server_ms, 99),
        "by_method_client_p50_p99_ms": {
            m: [round(median(v) or 0, 2), round(percentile(v, 99) or 0, 2)]
            for m, v in sorted(by_method.items())
        },
        "by_method_server_p50_p99_ms": {
            m: [round(median(v) or 0, 2), round(percentile(v, 99) or 0, 2)]
            for m, v in sorted(server_by_method.items())
        },
        "leaks": leaks[:20],
        "leak_count": len(leaks),
        "store_rows_checked": checked,
        "waitress_threads": threads,
        "waitress_connection_limit": connection_limit,
    }


def run(report: Any, quick: bool) -> None:
    plan = [(1, 5), (10, 3), (100, 1)] if quick else [(1, 30), (10, 10), (100, 3)]
    results = []
    for n, sessions in plan:
        result = run_level(n, sessions)
        results.append(result)
        label = f"N={n} ({result['sessions']} sessions, {result['soap_calls']} calls)"
        report.add("load", f"{label}: calls/s", result["calls_per_s"], "calls/s")
        report.add(
            "load",
            f"N={n}: client p50 / p99 per SOAP call",
            f"{result['client_p50_ms']:.1f} / {result['client_p99_ms']:.1f}",
            "ms",
            "p99 < 100" if n == 100 else "",
            result["client_p99_ms"] < 100 if n == 100 else None,
            f"p99 without authenticate {result['client_p99_ms_without_authenticate']:.1f} ms",
        )
        report.add(
            "load",
            f"N={n}: server p50 / p99 per SOAP call",
            f"{result['server_p50_ms']:.1f} / {result['server_p99_ms']:.1f}",
            "ms",
        )
        report.add(
            "load",
            f"N={n}: cross-company leaks",
            result["leak_count"],
            "",
            "0",
            result["leak_count"] == 0,
            "; ".join(result["leaks"][:2]),
        )
    report.details["load"] = results
