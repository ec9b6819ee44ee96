"""Round trip: qbXML requests per second through the whole stack, next to the lxml floor.

The stack: simulated Web Connector -> SOAP envelope -> reference connector (spyne, SQLite,
the app over its JSON API) -> qbXML -> fake QuickBooks -> back, in-process (WsgiTransport)
and over loopback HTTP (waitress). The workload is a first sync of ``customers`` app
customers, each with one invoice: one CustomerAdd and one InvoiceAdd per customer, plus the
service item and the payment queries.

The floor is measured in the same run on the same messages: lxml parsing and serializing
every SOAP envelope and every qbXML message of the session once (what each side must at least
do with them on the wire), with no logic at all.
"""

from __future__ import annotations

import time
from typing import Any

from lxml import etree

from harness.webconnector import WebConnector
from harness.webconnector.transcript import QbxmlExchange, SoapCall, Transcript
from harness.world import World, WorldOptions

_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)


def _world(transport: str, customers: int) -> World:
    world = World.build(options=WorldOptions(transport=transport))  # type: ignore[arg-type]
    for number in range(customers):
        name = f"Customer {number:05d}"
        world.app.create_customer(name=name)
        world.app.create_invoice(
            customer=name,
            number=f"{1000 + number}",
            lines=[{"description": "Service call", "quantity": "1", "rate": "125.00"}],
        )
    return world


def _session(world: World) -> tuple[Transcript, float]:
    """One "Update Selected" run of the world's own Web Connector, without its request cap."""
    stations = getattr(world, "stations", None)
    if stations:  # World with Web Connector stations
        wc = next(iter(stations.values())).web_connector
    else:  # the earlier World: one connector with its .qwc
        wc = WebConnector(
            qwc=world.connector.qwc,  # type: ignore[attr-defined]
            password=world.connector.password,
            quickbooks=world.qbd,
            transport=world.connector.transport(),
            clock=world.clock,
        )
    wc.max_requests = 1_000_000
    started = time.perf_counter()
    transcript = wc.run_session()
    return transcript, time.perf_counter() - started


def messages(transcript: Transcript) -> list[bytes]:
    """Every SOAP envelope and qbXML message of a session, as bytes."""
    out: list[bytes] = []
    for event in transcript.events:
        if isinstance(event, SoapCall):
            out.extend(m for m in (event.request_xml, event.response_xml) if m)
        elif isinstance(event, QbxmlExchange):
            out.extend(m.encode("utf-8") for m in (event.request, event.response) if m)
    return out


def floor_seconds(payloads: list[bytes], repeats: int = 3) -> float:
    """Best time for lxml to parse and serialize each message once."""
    best = float("inf")
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        for payload in payloads:
            etree.tostring(etree.fromstring(payload, _PARSER))
        best = min(best, time.perf_counter() - started)
    return best


def run_one(transport: str, customers: int, repeats: int) -> dict[str, Any]:
    runs = []
    for _ in range(max(1, repeats)):
        world = _world(transport, customers)
        try:
            transcript, seconds = _session(world)
        finally:
            world.close()
        if transcript.outcome is None or transcript.outcome.status != "completed":
            raise RuntimeError(f"round trip session did not complete: {transcript.outcome}")
        requests = sum(isinstance(e, QbxmlExchange) for e in transcript.events)
        calls = [e for e in transcript.events if isinstance(e, SoapCall)]
        runs.append((seconds, requests, calls, transcript))
    seconds, requests, calls, transcript = min(runs, key=lambda r: r[0])
    payloads = messages(transcript)
    floor = floor_seconds(payloads)
    by_method: dict[str, list[float]] = {}
    for call in calls:
        by_method.setdefault(call.method, []).append(call.duration_ms or 0.0)
    return {
        "transport": transport,
        "requests": requests,
        "soap_calls": len(calls),
        "seconds": seconds,
        "all_seconds": [r[0] for r in runs],
        "requests_per_s": requests / seconds,
        "floor_seconds": floor,
        "floor_messages": len(payloads),
        "floor_bytes": sum(len(p) for p in payloads),
        "floor_requests_per_s": requests / floor,
        "floor_ratio": (requests / floor) / (requests / seconds),
        "ms_per_call_by_method": {
            m: round(sum(v) / len(v), 3) for m, v in sorted(by_method.items())
        },
    }


def run(report: Any, quick: bool) -> None:
    customers = 150 if quick else 1000
    repeats = 1 if quick else 3
    targets = {"inprocess": 1000, "http": 300}
    results = {}
    for transport in ("inprocess", "http"):
        result = run_one(transport, customers, repeats)
        results[transport] = result
        target = targets[transport]
        report.add(
            "round trip",
            f"{transport}: qbXML requests/s ({result['requests']} req, "
            f"{result['soap_calls']} SOAP calls)",
            result["requests_per_s"],
            "req/s",
            f">= {target}",
            result["requests_per_s"] >= target,
            f"best of {repeats}",
        )
        report.add(
            "round trip",
            f"{transport}: floor (lxml parse+serialize, same messages)",
            result["floor_requests_per_s"],
            "req/s",
        )
        report.add(
            "round trip",
            f"{transport}: floor / stack ratio",
            result["floor_ratio"],
            "x",
            note="times slower than the floor",
        )
    report.details["roundtrip"] = results
