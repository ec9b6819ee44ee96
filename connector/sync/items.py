"""Items both ways, by the product master (seeds/001; BEHAVIORS.md INV-02, 03, 05, 09, 10,
16, 17).

Master = app: every app product, part and service goes to QuickBooks once (the initial
export) and again when a person edits it; an app product whose name QuickBooks already has
is linked to that item and updated, never added twice (QuickBooks names are unique across
the Item list: 3100). Tracked products and parts become inventory items, untracked parts
non-inventory parts, services service items.

Master = QuickBooks: every QuickBooks inventory item, non-inventory part and service comes
to the app (the reverse sync), in the default category; an app product of the same name
is updated instead of duplicated. Non-inventory parts keep their taxable flag and get the
default minimum quantity and the configured non-inventory quantity; services the default
category. When both sides edited an item between two syncs, the master's version is kept
and the loser is recorded in the attempt history (SYNC-02).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from lxml import etree

from connector.app_client import AppApiError
from connector.qbxml.responses import ResponseStatus, text_of
from connector.session_state import InventoryReads
from connector.sync import inventory_requests as irq
from connector.sync.engine import REREAD, SkipItem
from connector.sync.handlers import Request, State, SyncSession, WorkItem, handler
from connector.sync.inventory_requests import INVENTORY, NON_INVENTORY, SERVICE, ItemFields
from connector.sync.inventory_state import InventoryMemory
from connector.sync.plan import PlanContext

#: Item Name is at most 31 characters (qbxml130, ItemInventoryAdd/Name).
ITEM_NAME_MAX = 31
ENTITY = "item"


def item_type_for(product: dict[str, Any]) -> str:
    """The QuickBooks item type an app product becomes."""
    if product.get("kind") == "service":
        return SERVICE
    return INVENTORY if product.get("track_inventory") else NON_INVENTORY


def app_fields(product: dict[str, Any]) -> ItemFields:
    name = str(product.get("name") or "").strip()
    if not name or len(name) > ITEM_NAME_MAX:
        raise SkipItem(f"item name must be 1-{ITEM_NAME_MAX} characters")
    return ItemFields(
        name=name,
        description=str(product.get("description") or ""),
        price=Decimal(str(product.get("price") or "0")),
        taxable=bool(product.get("taxable")),
    )


def qbd_fields(ret: etree._Element) -> ItemFields:
    if ret.tag == "ItemInventoryRet":
        description, price = text_of(ret, "SalesDesc"), text_of(ret, "SalesPrice", "0")
    else:
        description = text_of(ret, "SalesOrPurchase/Desc") or text_of(
            ret, "SalesAndPurchase/SalesDesc"
        )
        price = text_of(ret, "SalesOrPurchase/Price") or text_of(
            ret, "SalesAndPurchase/SalesPrice", "0"
        )
    # "Non" is the non-taxable code of a US company file; any other code is taxable.
    tax_code = text_of(ret, "SalesTaxCodeRef/FullName")
    return ItemFields(
        name=text_of(ret, "Name") or text_of(ret, "FullName"),
        description=description,
        price=Decimal(price or "0"),
        taxable=bool(tax_code) and tax_code != "Non",
    )


def fingerprint(fields: ItemFields, item_type: str) -> str:
    """What the two sides share, as one comparable string."""
    return json.dumps(
        [item_type, fields.name, fields.description, str(fields.price.normalize()), fields.taxable]
    )


def product_fingerprint(product: dict[str, Any]) -> str | None:
    try:
        return fingerprint(app_fields(product), item_type_for(product))
    except SkipItem:
        return None


# -- the plan (master = app) -------------------------------------------------------------------


def plan_pushes(ctx: PlanContext) -> list[WorkItem]:
    """App products QuickBooks does not have yet, then those edited since their last sync."""
    memory = InventoryMemory(ctx.store, ctx.company)
    items: list[WorkItem] = []
    for product in ctx.app.list_products():
        if product.get("archived"):
            continue
        app_id = str(product["id"])
        requested = (product.get("sync") or {}).get("requested") == "sync"
        if ctx.store.mapping_by_app_id(ctx.company, ENTITY, app_id) is None:
            items.append({"kind": "item_push", "app_id": app_id})
        elif requested or product_fingerprint(product) != memory.synced_fields(app_id):
            items.append({"kind": "item_mod", "app_id": app_id})
    return items


# -- app -> QuickBooks -----------------------------------------------------------------------


def _apply_push(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    """The name lookup: an item of that name is linked and updated (INV-05), else added."""
    found = [r for r in rs.rets if r.tag.removesuffix("Ret") in irq.ITEM_TYPES]
    if found:
        ret = found[0]
        list_id = text_of(ret, "ListID")
        sync.store.put_mapping(
            sync.company, ENTITY, item["app_id"], list_id, text_of(ret, "EditSequence")
        )
        InventoryMemory(sync.store, sync.company).set_item_type(list_id, ret.tag[:-3])
        sync.attempt(ENTITY, item["app_id"], "ItemQueryRq", "linked", rs.status_code, list_id)
        sync.prepend(state, {"kind": "item_mod", "app_id": item["app_id"]})
    elif rs.ok or rs.status_code == 500:
        # 1 "no match" or 500 "required element not found": the name is free.
        sync.prepend(state, {"kind": "item_add", "app_id": item["app_id"]})
    else:
        sync.fail(item, rs.error_text(), request="ItemQueryRq", status_code=rs.status_code)


@handler("item_push", apply=_apply_push, collection="products", entity=ENTITY)
def item_push(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    """Look the name up first: this also makes a lost ItemAdd answer harmless (the next
    session finds the item instead of adding it again, guide p.53)."""
    sync.known(ENTITY, item["app_id"])
    product = sync.app.get("products", item["app_id"])
    return irq.item_query_rq(request_id, full_name=app_fields(product).name)


def _apply_add(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    sync.apply_add(state, item, rs, id_tag="ListID")
    if rs.ok and rs.rets:
        ret = rs.rets[0]
        InventoryMemory(sync.store, sync.company).set_item_type(
            text_of(ret, "ListID"), ret.tag[:-3]
        )
        _remember_fields(sync, item)


@handler("item_add", apply=_apply_add, collection="products", entity=ENTITY)
def item_add(sync: SyncSession, item: WorkItem, request_id: str) -> Request:
    product = sync.app.get("products", item["app_id"])
    fields = app_fields(product)
    add = irq.item_add_rq(request_id, item_type=item_type_for(product), fields=fields)
    return Request(add, {"fingerprint": fingerprint(fields, item_type_for(product))})


def _apply_mod(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    sync.apply_change(state, item, rs)
    if rs.ok:
        _remember_fields(sync, item)


@handler("item_mod", apply=_apply_mod, collection="products", entity=ENTITY)
def item_mod(sync: SyncSession, item: WorkItem, request_id: str) -> Request:
    mapping = sync.mapped(item)
    product = sync.app.get("products", item["app_id"])
    fields = app_fields(product)
    # An item's type cannot change in QuickBooks: a Mod goes to the type it has.
    item_type = InventoryMemory(sync.store, sync.company).item_type(mapping.qb_id)
    mod = irq.item_mod_rq(
        request_id,
        item_type=item_type or item_type_for(product),
        list_id=mapping.qb_id,
        edit_sequence=mapping.edit_sequence,
        fields=fields,
    )
    return Request(mod, {"fingerprint": fingerprint(fields, item_type_for(product))})


def _remember_fields(sync: SyncSession, item: WorkItem) -> None:
    if item.get("fingerprint"):
        InventoryMemory(sync.store, sync.company).set_synced_fields(
            item["app_id"], item["fingerprint"]
        )


REREAD[ENTITY] = lambda request_id, qb_id: irq.item_query_by_id_rq(request_id, list_id=qb_id)


# -- QuickBooks -> app (master = QuickBooks) ---------------------------------------------------


def pull_items(sync: SyncSession, rets: list[etree._Element], config: InventoryReads) -> None:
    """Create, link or update app products from QuickBooks items (INV-03, 05, 09, 10, 16)."""
    memory = InventoryMemory(sync.store, sync.company)
    products = {str(p["id"]): p for p in sync.app.list_products()}
    # The service item every app invoice line is booked to is the connector's bookkeeping,
    # not a product of the company (issue 19): never imported. QuickBooks names compare
    # case-insensitively (QBD-02).
    bookkeeping = sync.settings.default_service_item.casefold()
    for ret in rets:
        list_id, edit_sequence = text_of(ret, "ListID"), text_of(ret, "EditSequence")
        if text_of(ret, "FullName").casefold() == bookkeeping:
            continue
        mapping = sync.store.mapping_by_qb_id(sync.company, ENTITY, list_id)
        if mapping is not None and mapping.edit_sequence == edit_sequence:
            continue  # unchanged since the last sync
        try:
            linked = products.get(mapping.app_id) if mapping is not None else None
            app_id = _pull_item(sync, ret, linked, products, config)
        except AppApiError as exc:
            sync.hold_pulled(
                ENTITY, list_id, "ItemQueryRq", f"app refused: {exc}",
                reference=text_of(ret, "FullName"),
            )  # fmt: skip
            continue
        sync.store.put_mapping(sync.company, ENTITY, app_id, list_id, edit_sequence)
        sync.release_pulled(ENTITY, list_id)
        memory.set_synced_fields(app_id, fingerprint(qbd_fields(ret), ret.tag[:-3]))


def _pull_item(
    sync: SyncSession,
    ret: etree._Element,
    linked: dict[str, Any] | None,
    products: dict[str, dict[str, Any]],
    config: InventoryReads,
) -> str:
    """The app product ID this QuickBooks item is now synced to."""
    memory = InventoryMemory(sync.store, sync.company)
    list_id, item_type, fields = text_of(ret, "ListID"), ret.tag[:-3], qbd_fields(ret)
    changes = {
        "name": fields.name,
        "description": fields.description or None,
        "price": str(fields.price),
        "taxable": fields.taxable,
    }
    if linked is not None:
        app_id = str(linked["id"])
        if product_fingerprint(linked) != memory.synced_fields(app_id):
            # Both sides changed it: QuickBooks is the master; the app's edit is recorded.
            sync.attempt(
                ENTITY, app_id, "ItemQueryRq", "conflict", None,
                f"app edit of {linked.get('name')!r} overwritten: QuickBooks is the product master",
            )  # fmt: skip
        sync.app.patch("products", app_id, changes)
        sync.attempt(ENTITY, app_id, "ItemQueryRq", "updated", 0, list_id)
        return app_id
    unmapped = [
        p
        for p in products.values()
        if sync.store.mapping_by_app_id(sync.company, ENTITY, str(p["id"])) is None
    ]
    same_name = [p for p in unmapped if p.get("name") == fields.name] or [
        p for p in unmapped if str(p.get("name", "")).casefold() == fields.name.casefold()
    ]
    if same_name:
        # A product of that name exists: update it, never duplicate (INV-05).
        app_id = str(same_name[0]["id"])
        sync.app.patch("products", app_id, changes)
        sync.app.set_sync("products", app_id, status="synced", external_id=list_id)
        sync.attempt(ENTITY, app_id, "ItemQueryRq", "linked", 0, list_id)
        return app_id
    created = sync.app.create("products", _new_product(item_type, changes, config))
    app_id = str(created["id"])
    products[app_id] = created
    sync.app.set_sync("products", app_id, status="synced", external_id=list_id)
    if item_type == NON_INVENTORY and Decimal(config["non_inventory_quantity"]):
        sync.app.adjust_stock(
            app_id,
            {
                "location_id": config["location_id"],
                "new_quantity": config["non_inventory_quantity"],
                "reason": "non-inventory product quantity (QuickBooks sync setting)",
            },
            idempotency_key=f"non-inventory-{list_id}",
        )
    sync.attempt(ENTITY, app_id, "ItemQueryRq", "created", 0, list_id)
    return app_id


def _new_product(item_type: str, changes: dict[str, Any], config: InventoryReads) -> dict[str, Any]:
    body: dict[str, Any] = {**changes, "category_id": config["category_id"]}
    if item_type == SERVICE:
        body.update(kind="service", track_inventory=False)  # INV-09
    else:
        # Inventory items are products, non-inventory items parts (INV-10); both carry the
        # default minimum quantity. A non-inventory part's quantity is the configured one
        # and never synced (INV-11): only QuickBooks inventory items track quantity.
        body.update(
            kind="product" if item_type == INVENTORY else "part",
            track_inventory=True,
            min_quantity=config["min_quantity"],
        )
    return body
