"""Customers, app -> QuickBooks: CustomerAdd for new ones, CustomerMod for edits and
archiving (an archived app customer is an inactive QuickBooks customer; QuickBooks keeps
customers that have history, so a deletion in the app does not delete it there)."""

from __future__ import annotations

from lxml import etree

from connector.qbxml import requests as rq
from connector.qbxml.responses import ResponseStatus
from connector.sync.engine import REREAD, SessionSync, SkipItem
from connector.sync.handlers import Item, State, handler

#: CustomerAdd Name is at most 41 characters (qbxml130, CustomerAdd/Name).
CUSTOMER_NAME_MAX = 41


def customer_name(customer: dict) -> str:
    name = str(customer.get("name") or "").strip()
    if not name or len(name) > CUSTOMER_NAME_MAX:
        raise SkipItem(f"customer name must be 1-{CUSTOMER_NAME_MAX} characters")
    return name


def _apply_customer(sync: SessionSync, state: State, item: Item, rs: ResponseStatus) -> None:
    if item.get("probe"):
        sync.apply_probe(state, item, rs, rs.rets)
    else:
        sync.apply_add(state, item, rs, id_tag="ListID")


@handler(
    "customer",
    apply=_apply_customer,
    collection="customers",
    entity="customer",
    add_request="CustomerAddRq",
)
def customer_add(sync: SessionSync, item: Item, request_id: str) -> etree._Element:
    app_id = item["app_id"]
    sync.known("customer", app_id)
    customer = sync.app.get("customers", app_id)
    name = customer_name(customer)
    if sync.in_doubt(item):
        item["probe"] = True
        return rq.customer_query_rq(request_id, full_name=name)
    return rq.customer_add_rq(
        request_id,
        name=name,
        email=str(customer.get("email") or ""),
        phone=str(customer.get("phone") or ""),
    )


def _apply_customer_mod(sync: SessionSync, state: State, item: Item, rs: ResponseStatus) -> None:
    sync.apply_change(state, item, rs)


@handler("customer_mod", apply=_apply_customer_mod, collection="customers", entity="customer")
def customer_mod(sync: SessionSync, item: Item, request_id: str) -> etree._Element:
    mapping = sync.mapped(item)
    customer = sync.app.get("customers", item["app_id"])
    return rq.customer_mod_rq(
        request_id,
        list_id=mapping.qb_id,
        edit_sequence=mapping.edit_sequence,
        name=customer_name(customer),
        # Archived in the app = inactive in QuickBooks (names with history stay).
        is_active=not customer.get("archived"),
        email=str(customer.get("email") or ""),
        phone=str(customer.get("phone") or ""),
    )


REREAD["customer"] = lambda request_id, qb_id: rq.customer_query_by_id_rq(request_id, list_id=qb_id)
