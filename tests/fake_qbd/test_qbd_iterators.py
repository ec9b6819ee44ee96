from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.clock import SimClock
from harness.fake_qbd import QBDCompany, RequestProcessorError


def query(attrs: str, body: str = "<MaxReturned>2</MaxReturned>") -> str:
    return f"<CustomerQueryRq {attrs}>{body}</CustomerQueryRq>"


def add_customers(company: QBDCompany, count: int) -> None:
    for number in range(count):
        company.operator.add_customer(f"Customer {number:03d}")


def test_pages_carry_remaining_count_and_a_braced_guid(qb, company):
    add_customers(company, 5)
    first = qb(query('requestID="1" iterator="Start"'))[0]
    iterator_id = first.get("iteratorID")
    assert re.fullmatch(r"\{[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\}", iterator_id)
    assert (len(first), first.get("iteratorRemainingCount")) == (2, "3")
    second = qb(query(f'requestID="2" iterator="Continue" iteratorID="{iterator_id}"'))[0]
    assert (len(second), second.get("iteratorRemainingCount")) == (2, "1")
    assert second.get("requestID") == "2"
    third = qb(query(f'iterator="Continue" iteratorID="{iterator_id}"'))[0]
    assert (len(third), third.get("iteratorRemainingCount")) == (1, "0")
    again = qb(query(f'iterator="Continue" iteratorID="{iterator_id}"'))[0]
    assert again.get("statusCode") == "3391"
    assert again.get("statusMessage") == f'The iteratorID "{iterator_id}" is not valid.'


def test_iterator_ids_are_deterministic():
    def first_id() -> str:
        company = QBDCompany(clock=SimClock())
        add_customers(company, 3)
        start = query('iterator="Start"')
        text = company.process(
            '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
            f'<QBXMLMsgsRq onError="stopOnError">{start}</QBXMLMsgsRq></QBXML>'
        )
        return re.search(r'iteratorID="([^"]+)"', text).group(1)

    assert first_id() == first_id()


def test_a_slow_next_page_finds_the_iterator_expired(qb, company, clock):
    add_customers(company, 3)
    iterator_id = qb(query('iterator="Start"'))[0].get("iteratorID")
    clock.advance(company.settings.iterator_timeout_seconds + 1)
    rs = qb(query(f'iterator="Continue" iteratorID="{iterator_id}"'))[0]
    assert rs.get("statusCode") == "3391"


def test_iterators_only_where_the_schema_declares_them(company):
    body = '<AccountQueryRq iterator="Start"><MaxReturned>1</MaxReturned></AccountQueryRq>'
    with pytest.raises(RequestProcessorError):
        company.process(
            '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
            f'<QBXMLMsgsRq onError="stopOnError">{body}</QBXMLMsgsRq></QBXML>'
        )


def test_invoice_iterator(qb, company):
    company.operator.add_customer("A")
    company.operator.add_item("service", "Labor", price="1.00")
    for _ in range(3):
        company.operator.create_invoice("A", [{"item": "Labor", "quantity": 1}])
    rs = qb('<InvoiceQueryRq iterator="Start"><MaxReturned>2</MaxReturned></InvoiceQueryRq>')[0]
    assert (len(rs), rs.get("iteratorRemainingCount")) == (2, "1")


@settings(max_examples=25, deadline=None)
@given(count=st.integers(min_value=0, max_value=12), page=st.integers(min_value=1, max_value=5))
def test_paging_returns_every_record_exactly_once(count, page):
    company = QBDCompany(clock=SimClock())
    add_customers(company, count)

    def send(attrs: str) -> str:
        return company.process(
            '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
            f'<QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq {attrs}>'
            f"<MaxReturned>{page}</MaxReturned></CustomerQueryRq></QBXMLMsgsRq></QBXML>"
        )

    seen: list[str] = []
    text = send('iterator="Start"')
    if count == 0:
        assert 'statusCode="1"' in text
        return
    iterator_id = re.search(r'iteratorID="([^"]+)"', text).group(1)
    while True:
        seen += re.findall(r"<ListID>([^<]+)</ListID>", text)
        remaining = int(re.search(r'iteratorRemainingCount="(\d+)"', text).group(1))
        if remaining == 0:
            break
        text = send(f'iterator="Continue" iteratorID="{iterator_id}"')
    assert len(seen) == count
    assert len(set(seen)) == count
