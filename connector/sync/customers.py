"""Customers, app -> QuickBooks: CustomerAdd for new ones, CustomerMod for edits and
archiving (an archived app customer is an inactive QuickBooks customer; QuickBooks keeps
customers that have history, so a deletion in the app does not delete it there)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from connector.qbxml import requests as rq
from connector.qbxml.responses import ResponseStatus, text_of
from connector.sync.engine import REREAD, SkipItem, external_guid
from connector.sync.handlers import Request, State, SyncSession, WorkItem, handler

#: CustomerAdd Name is at most 41 characters (qbxml130, CustomerAdd/Name).
CUSTOMER_NAME_MAX = 41


def customer_name(customer: dict[str, Any]) -> str:
    name = str(customer.get("name") or "").strip()
    if not name or len(name) > CUSTOMER_NAME_MAX:
        raise SkipItem(f"customer name must be 1-{CUSTOMER_NAME_MAX} characters")
    return name


def _apply_customer(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    if item.get("probe"):
        guid = external_guid("customer", item["app_id"])
        # By the ExternalGUID; by the name only a customer without one (added by a person,
        # or before the connector set one): QuickBooks refuses a second customer of that name.
        found = [
            r
            for r in rs.rets
            if text_of(r, "ExternalGUID") == guid
            or (not text_of(r, "ExternalGUID") and text_of(r, "Name") == item.get("name"))
        ]
        sync.apply_probe(state, item, rs, found)
    else:
        sync.apply_add(state, item, rs, id_tag="ListID")


@handler(
    "customer",
    apply=_apply_customer,
    collection="customers",
    entity="customer",
    add_request="CustomerAddRq",
)
def customer_add(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element | Request:
    app_id = item["app_id"]
    sync.known("customer", app_id)
    customer = sync.app.get("customers", app_id)
    name = customer_name(customer)
    if sync.in_doubt(item):
        # Every customer modified since the Add was handed out, found by its ExternalGUID
        # whatever a person renamed since (issue 23).
        probe = rq.customers_modified_since_rq(request_id, from_modified=sync.probe_since(item))
        return Request(probe, {"probe": True, "name": name})
    return rq.customer_add_rq(
        request_id,
        name=name,
        email=str(customer.get("email") or ""),
        phone=str(customer.get("phone") or ""),
        external_guid=external_guid("customer", app_id),
    )


def _apply_customer_mod(
    sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus
) -> None:
    sync.apply_change(state, item, rs)


@handler("customer_mod", apply=_apply_customer_mod, collection="customers", entity="customer")
def customer_mod(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
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
