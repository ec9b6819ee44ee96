"""One scale run in its own process (so its peak memory is its own):

1. generate ``n`` items, ``n`` customers and ``n`` invoices with Faker (seeded);
2. add them to a fake QuickBooks company through its request processor
   (``QBDCompany.process``), in message sets of ``batch`` Add requests;
3. an initial sync: the simulated Web Connector runs one session against a paging QBWC
   service (benchmarks.pager) that reads everything back with iterators, ``page`` per page.

Prints one JSON object: the times, records, pages and peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import time
from typing import Any
from xml.sax.saxutils import escape

from faker import Faker
from lxml import etree

from harness.clock import SimClock
from harness.fake_qbd import CompanySettings, QBDCompany
from harness.webconnector import QwcFile, WebConnector, WsgiTransport

from .common import peak_rss_mb
from .pager import PagerService

_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)


def _message_set(requests: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?>'
        '<QBXML><QBXMLMsgsRq onError="continueOnError">'
        + "".join(requests)
        + "</QBXMLMsgsRq></QBXML>"
    )


def _add_all(company: QBDCompany, requests: list[str], ret: str, batch: int) -> list[str]:
    """Send Add requests in message sets; the ListID/TxnID of each created record."""
    ids: list[str] = []
    id_tag = "TxnID" if ret == "InvoiceRet" else "ListID"
    for start in range(0, len(requests), batch):
        answer = company.process(_message_set(requests[start : start + batch]))
        root = etree.fromstring(answer.encode("utf-8"), _PARSER)
        for rs in root[0]:
            if rs.get("statusCode") != "0":
                raise RuntimeError(f"{rs.tag}: {rs.get('statusCode')} {rs.get('statusMessage')}")
            ids.append(rs[0].findtext(id_tag) or "")
    return ids


def generate(n: int, seed: int) -> dict[str, Any]:
    """Deterministic company data: names unique (a counter suffix), amounts from a seeded RNG."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    items = []
    for i in range(n):
        name = f"{fake.word().title()} {fake.word()} {i}"[-31:].strip()
        items.append(
            (name, fake.catch_phrase()[:4095], f"{rng.randint(5, 500)}.{rng.randint(0, 99):02d}")
        )
    customers = []
    for i in range(n):
        name = f"{fake.company()} {i}"[-41:].strip()
        customers.append((name, fake.phone_number()[:21], fake.company_email()[:1023]))
    invoices = []
    for i in range(n):
        lines = [
            (rng.randrange(n), rng.randint(1, 5), f"{rng.randint(5, 500)}.{rng.randint(0, 99):02d}")
            for _ in range(rng.randint(1, 3))
        ]
        invoices.append((rng.randrange(n), f"{i + 1}", lines))
    return {"items": items, "customers": customers, "invoices": invoices}


def populate(company: QBDCompany, data: dict[str, Any], batch: int) -> dict[str, float]:
    times: dict[str, float] = {}
    started = time.perf_counter()
    item_ids = _add_all(
        company,
        [
            f'<ItemServiceAddRq requestID="{i}"><ItemServiceAdd><Name>{escape(name)}</Name>'
            f"<SalesOrPurchase><Desc>{escape(desc)}</Desc><Price>{price}</Price>"
            "<AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase>"
            "</ItemServiceAdd></ItemServiceAddRq>"
            for i, (name, desc, price) in enumerate(data["items"])
        ],
        "ItemServiceRet",
        batch,
    )
    times["add_items_s"] = time.perf_counter() - started
    started = time.perf_counter()
    customer_ids = _add_all(
        company,
        [
            f'<CustomerAddRq requestID="{i}"><CustomerAdd><Name>{escape(name)}</Name>'
            f"<Phone>{escape(phone)}</Phone><Email>{escape(email)}</Email>"
            "</CustomerAdd></CustomerAddRq>"
            for i, (name, phone, email) in enumerate(data["customers"])
        ],
        "CustomerRet",
        batch,
    )
    times["add_customers_s"] = time.perf_counter() - started
    started = time.perf_counter()
    requests = []
    for i, (customer, ref, lines) in enumerate(data["invoices"]):
        body = "".join(
            f"<InvoiceLineAdd><ItemRef><ListID>{item_ids[item]}</ListID></ItemRef>"
            f"<Quantity>{qty}</Quantity><Rate>{rate}</Rate></InvoiceLineAdd>"
            for item, qty, rate in lines
        )
        requests.append(
            f'<InvoiceAddRq requestID="{i}"><InvoiceAdd>'
            f"<CustomerRef><ListID>{customer_ids[customer]}</ListID></CustomerRef>"
            f"<RefNumber>{ref}</RefNumber>{body}</InvoiceAdd></InvoiceAddRq>"
        )
    _add_all(company, requests, "InvoiceRet", batch)
    times["add_invoices_s"] = time.perf_counter() - started
    return times


def initial_sync(company: QBDCompany, clock: SimClock, page: int) -> dict[str, Any]:
    pager = PagerService(page=page)
    qwc = QwcFile(
        app_name="bench-pager",
        app_id="",
        app_url="http://localhost/qbwc",
        app_description="scale benchmark",
        app_support="http://localhost/qbwc",
        user_name="bench",
        owner_id="{9C9E0F4B-0E8B-4E2A-9F3A-1B2C3D4E5F60}",
        file_id="{1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D}",
    )
    wc = WebConnector(
        qwc=qwc,
        password="bench",
        quickbooks=company,
        transport=WsgiTransport(pager),
        clock=clock,
        max_requests=1_000_000,
        keep_raw=False,  # a long import: the transcript keeps the qbXML, not the envelopes too
    )
    started = time.perf_counter()
    transcript = wc.run_session()
    seconds = time.perf_counter() - started
    status = transcript.outcome.status if transcript.outcome else None
    if status != "completed":
        raise RuntimeError(f"initial sync did not complete: {transcript.outcome}")
    return {"sync_s": seconds, "pages": pager.pages, "imported": len(pager.imported)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--batch", type=int, default=250)
    args = parser.parse_args()
    result: dict[str, Any] = {"n": args.n, "page": args.page}
    started = time.perf_counter()
    data = generate(args.n, args.seed)
    result["generate_s"] = time.perf_counter() - started
    clock = SimClock()
    company = QBDCompany(settings=CompanySettings(), clock=clock)
    result.update(populate(company, data, args.batch))
    del data
    gc.collect()
    result["rss_after_add_mb"] = peak_rss_mb()
    result.update(initial_sync(company, clock, args.page))
    result["expected_records"] = 3 * args.n
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
