"""The plan's stages, the pulls' helpers and the qbXML they send."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import pytest
from lxml import etree

from connector.qbxml import QbxmlVersion, render_request
from connector.settings import ConnectorSettings
from connector.store import Store
from connector.sync import (
    credit_memos,
    customers_pull,
    inventory,
    invoices_pull,
    payments,
    plan,
    queries,
)
from connector.sync.stages import STAGES
from connector.work_queue import WorkItem


def test_records_come_before_what_references_them() -> None:
    at = {stage: index for index, stage in enumerate(STAGES)}
    # A customer before its invoices and credits; invoices before the payments applied to
    # them (else 3140, QBWC-FACTS.md).
    assert at[plan.plan_customers] < at[plan.plan_invoices]
    assert at[plan.plan_customers] < at[credit_memos.plan_stage]
    assert at[customers_pull.plan_stage] < at[invoices_pull.plan_stage]
    assert at[plan.plan_invoices] < at[payments.plan_stage]
    assert at[invoices_pull.plan_stage] < at[payments.plan_stage]
    assert at[inventory.plan] == 0  # a missing setting stops the session before any write


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 5), 12, date(2025, 1, 5)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert invoices_pull.months_before(day, months) == expected


def test_an_invoice_change_sends_only_what_changed_and_keeps_app_only_line_fields() -> None:
    current = {
        "number": "1001",
        "due_date": "2026-02-04",
        "lines": [
            {
                "description": "Heater",
                "quantity": "1",
                "rate": "300.00",
                "taxable": True,
                "product_id": "prd_0001",
                "location_id": "loc_0001",
            },
        ],
    }
    same = {
        "number": "1001",
        "due_date": "2026-02-04",
        "lines": [{"description": "Heater", "quantity": "1.0", "rate": "300", "taxable": True}],
    }
    assert invoices_pull._changes(current, same) == {}
    edited = {
        "number": "1001",
        "due_date": "2026-03-01",
        "lines": [{"description": "Heater", "quantity": "2", "rate": "300.00", "taxable": True}],
    }
    changes = invoices_pull._changes(current, edited)
    assert changes["due_date"] == "2026-03-01"
    assert "number" not in changes
    assert changes["lines"][0]["product_id"] == "prd_0001"
    assert changes["lines"][0]["location_id"] == "loc_0001"


BUILDERS = {
    "CustomerQueryRq": lambda: queries.customer_changes_rq(
        "1", from_modified="2026-01-05T09:00:00-05:00", page_size=50, iterator_id=None
    ),
    "CustomerQueryRq-continue": lambda: queries.customer_changes_rq(
        "1", from_modified=None, page_size=50, iterator_id="{abc}"
    ),
    "InvoiceQueryRq-modified": lambda: queries.invoice_changes_rq(
        "1", page_size=50, iterator_id=None, from_modified="2026-01-05T09:00:00-05:00"
    ),
    "InvoiceQueryRq-recent": lambda: queries.invoice_changes_rq(
        "1", page_size=50, iterator_id=None, from_txn_date="2025-01-05"
    ),
    "InvoiceQueryRq-history": lambda: queries.invoice_changes_rq(
        "1", page_size=50, iterator_id=None, to_txn_date="2025-01-04"
    ),
    "ListDeletedQueryRq": lambda: queries.list_deleted_rq(
        "1", list_type="Customer", from_deleted="2026-01-05T09:00:00-05:00"
    ),
    "CreditMemoAddRq": lambda: queries.credit_memo_add_rq(
        "1",
        customer_list_id="80000001-1",
        item_full_name="Services",
        amount="40",
        txn_date="2026-01-05",
        memo=credit_memos.credit_marker("sc_0001"),
        description="Late",
    ),
    "CreditMemoQueryRq": lambda: queries.credit_memo_for_customer_rq(
        "1", customer_list_id="80000001-1"
    ),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_pull_requests_are_schema_valid(name: str, qbxml_schema: etree.XMLSchema) -> None:
    element = BUILDERS[name]()
    assert element.tag == name.split("-")[0]
    root = etree.fromstring(render_request(element, version=QbxmlVersion(13, 0)).encode())
    qbxml_schema.assertValid(root)


def test_customer_pull_maps_inactive_to_archived_and_keeps_the_leaf_name() -> None:
    ret = etree.fromstring(
        "<CustomerRet><ListID>1</ListID><Name>Kitchen</Name><FullName>Acme:Kitchen</FullName>"
        "<IsActive>false</IsActive><ParentRef><ListID>2</ListID></ParentRef></CustomerRet>"
    )
    assert customers_pull.app_fields(ret) == {
        "name": "Kitchen",
        "email": None,
        "phone": None,
        "archived": True,
    }


def test_a_plan_holds_for_the_file_planned_for_or_two_files_the_store_knows_nothing_of() -> None:
    from connector.store import Store
    from connector.sync.stages import plan_holds

    store = Store()
    assert plan_holds(store, "a.qbw", "a.qbw")
    assert plan_holds(store, "", "a.qbw")  # a first sync of a .qwc without a company file
    assert not plan_holds(store, None, "a.qbw")  # a state from before plans said their file
    store.put_mapping("b.qbw", "customer", "c1", "80000001-1", "1")
    assert not plan_holds(store, "", "b.qbw")  # b's mappings were not read: plan again
    assert not plan_holds(store, "b.qbw", "a.qbw")


def test_a_record_removed_in_the_app_while_its_add_is_in_doubt_gets_one_probe() -> None:
    """IVC-03, PAY-16: an edit waiting for a lost Add goes after that Add's probe; a record
    the app no longer pushes (not queued for its Add) gets a probe of its own, once, and a
    customer (never removed from QuickBooks) none."""
    settings = ConnectorSettings(app_base_url="http://app.invalid")
    ctx = plan.PlanContext(settings, Store(), cast(Any, None), "a.qbw")  # reads no app
    ctx.queue = [{"kind": "invoice", "app_id": "inv_2"}]  # still in the app: its Add probes
    waiting: list[WorkItem] = [
        {"kind": "customer_mod", "app_id": "cus_1", plan.AFTER_LOST_ADD: True},
        {"kind": "invoice_delete", "app_id": "inv_1", plan.AFTER_LOST_ADD: True},
        {"kind": "invoice_mod", "app_id": "inv_2", plan.AFTER_LOST_ADD: True},
        {"kind": "payment_change", "app_id": "pay_1", plan.AFTER_LOST_ADD: True},
        {"kind": "invoice_mod", "app_id": "inv_1", plan.AFTER_LOST_ADD: True},
    ]
    ctx.cache[plan.AFTER_LOST_ADD] = waiting
    planned = [
        (i["kind"], i["app_id"], bool(i.get(plan.PROBE_ONLY)))
        for i in plan.plan_edits_after_lost_adds(ctx)
    ]
    assert planned == [
        ("customer_mod", "cus_1", False),
        ("invoice", "inv_1", True),
        ("invoice_delete", "inv_1", False),
        ("invoice_mod", "inv_2", False),
        ("payment_push", "pay_1", True),
        ("payment_change", "pay_1", False),
        ("invoice_mod", "inv_1", False),
    ]
