"""The item and inventory sync's session: settings checks, items, quantities both ways.

Order within a session (one planning stage, first of all, so a configuration problem stops
the session before anything is written: BEHAVIORS.md INV-01, INV-15):

1. the mandatory settings and the app's prerequisites, checked while planning; a problem
   stops the session: sendRequestXML answers "" and getLastError gives the one message;
2. probes for the connector's own adjustments whose answer was lost (guide p.53);
3. ``PreferencesQuery``: categories enabled in QuickBooks (a prerequisite), and whether
   Advanced Inventory is on (sites or one quantity per item);
4. item pushes when the app is the product master (``items``);
5. ``ItemQuery`` of every active item: the reverse sync of items when QuickBooks is the
   master, and every inventory item's quantity on hand; with Advanced Inventory
   ``InventorySiteQuery`` and ``ItemSitesQuery`` for the quantities per site;
6. the quantities merge (``inventory_buckets``): QuickBooks' changes go to the app at once
   (transfers as transfers, INV-12; a refused negative change is held Failed on the
   product, INV-14), the app's changes become ``InventoryAdjustmentAdd`` (QuantityDifference)
   and ``TransferInventoryAdd`` requests.

Quantities are compared, not replayed from transaction lists, so edits, voids and
deletions of QuickBooks transactions (receipts, invoices, adjustments) reach the app like
any other change, and a purchase order, which changes no quantity on hand, changes nothing
(INV-08, QBD-09). Only inventory items take part (INV-11).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from lxml import etree

from connector.app_client import AppApiError
from connector.inventory_settings import InventorySetupError, validate
from connector.qbxml.responses import ResponseStatus, text_of
from connector.session_state import InventoryReads
from connector.sync import inventory_requests as irq
from connector.sync import items as item_sync
from connector.sync.handlers import Request, State, SyncSession, WorkItem, handler
from connector.sync.inventory_buckets import SiteMap, Transfer, changes, split_moves
from connector.sync.inventory_state import InventoryMemory
from connector.sync.plan import PlanContext

log = logging.getLogger("connector.sync.inventory")

ENTITY = item_sync.ENTITY
#: Memo of the connector's own adjustments and transfers in QuickBooks.
MEMO = "Field-service app stock sync"
#: The reason of the connector's own stock writes in the app.
APP_REASON = "QuickBooks Desktop stock sync"
#: How the error of a product whose stock is held at sites without a location begins.
HELD_AT_SITES = "QuickBooks stock held at site(s)"
#: Outcomes of writing QuickBooks' changes to the app.
APPLIED, IN_DOUBT = "applied", "in doubt"


def plan(ctx: PlanContext) -> list[WorkItem]:
    """The inventory part of a session; a settings problem stops the whole session."""
    settings = ctx.settings.inventory
    if settings is None:
        return []
    try:
        config = validate(
            settings,
            ctx.app,
            require_negative_stock=ctx.settings.inventory_require_negative_stock,
            read_app_settings=ctx.app_settings,
        )
    except InventorySetupError as exc:
        ctx.state["error"] = str(exc)
        return []
    ctx.state["inventory"] = {
        "master": config.master,
        "min_quantity": str(config.min_quantity),
        "non_inventory_quantity": str(config.non_inventory_quantity),
        "category_id": config.category_id,
        "location_id": config.location_id,
        "require_qbd_categories": config.require_qbd_categories,
    }
    memory = InventoryMemory(ctx.store, ctx.company)
    probes: list[WorkItem] = [{"kind": "inventory_probe", "write": w} for w in memory.pending()]
    pushes = item_sync.plan_pushes(ctx) if config.master == "app" else []
    return [*probes, {"kind": "inventory_preferences"}, *pushes, {"kind": "inventory_items"}]


def _inventory(state: State) -> InventoryReads:
    return state.setdefault("inventory", {})


# -- preferences -------------------------------------------------------------------------------


def _apply_preferences(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    inventory = _inventory(state)
    if not rs.ok or not rs.rets:
        state["error"] = f"QuickBooks preferences could not be read: {rs.error_text()}"
        return
    prefs = rs.rets[0]
    categories = text_of(prefs, "AccountingPreferences/IsUsingClassTracking") == "true"
    if inventory.get("require_qbd_categories") and not categories:
        state["error"] = (
            "Categories are not enabled in QuickBooks Desktop (class tracking, "
            "Preferences > Accounting); the inventory sync needs them."
        )
        return
    path = "MultiLocationInventoryPreferences/IsMultiLocationInventoryEnabled"
    inventory["multi"] = text_of(prefs, path) == "true"


@handler("inventory_preferences", apply=_apply_preferences)
def preferences(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return irq.preferences_query_rq(request_id)


# -- reading QuickBooks ------------------------------------------------------------------------


def _apply_items(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    inventory = _inventory(state)
    if not rs.ok and rs.status_code != 500:
        log.warning("ItemQuery failed: %s", rs.error_text())
        return
    rets = [r for r in rs.rets if r.tag.removesuffix("Ret") in irq.ITEM_TYPES]
    memory = InventoryMemory(sync.store, sync.company)
    for ret in rets:
        memory.set_item_type(text_of(ret, "ListID"), ret.tag.removesuffix("Ret"))
    if inventory.get("master") == "qbd":
        item_sync.pull_items(sync, rets, inventory)
    inventory["on_hand"] = {
        text_of(r, "ListID"): {"": text_of(r, "QuantityOnHand", "0")}
        for r in rets
        if r.tag == "ItemInventoryRet"
    }
    if inventory.get("multi") and inventory["on_hand"]:
        sync.prepend(state, {"kind": "inventory_item_sites"})
        sync.prepend(state, {"kind": "inventory_sites"})
    else:
        _reconcile(sync, state)


@handler("inventory_items", apply=_apply_items)
def read_items(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return irq.item_query_rq(request_id)


def _apply_sites(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    _inventory(state)["sites"] = sorted(
        text_of(r, "FullName") or text_of(r, "Name") for r in rs.rets
    )


@handler("inventory_sites", apply=_apply_sites)
def read_sites(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return irq.inventory_site_query_rq(request_id)


def _apply_item_sites(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    inventory = _inventory(state)
    if not rs.ok:
        log.warning("ItemSitesQuery failed: %s", rs.error_text())
        return
    by_site: dict[str, dict[str, str]] = {}
    for ret in rs.rets:
        list_id = text_of(ret, "ItemInventoryRef/ListID")
        site = text_of(ret, "InventorySiteRef/FullName")
        by_site.setdefault(list_id, {})[site] = text_of(ret, "QuantityOnHand", "0")
    inventory["on_hand"] = {lid: by_site.get(lid, {}) for lid in inventory.get("on_hand", {})}
    _reconcile(sync, state)


@handler("inventory_item_sites", apply=_apply_item_sites)
def read_item_sites(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    return irq.item_sites_query_rq(request_id)


# -- the merge ---------------------------------------------------------------------------------


def _site_map(sync: SyncSession, inventory: InventoryReads) -> SiteMap:
    locations = {str(loc["id"]): str(loc["name"]) for loc in sync.app.list("locations")}
    return SiteMap(
        locations=locations,
        default_location=str(inventory["location_id"]),
        sites=tuple(inventory.get("sites") or ()),
        multi_location=bool(inventory.get("multi")),
    )


def _stock(product: dict[str, Any]) -> dict[str, Decimal]:
    return {str(s["location_id"]): Decimal(str(s["quantity"])) for s in product.get("stock") or []}


def _reconcile(sync: SyncSession, state: State) -> None:
    """Merge every synced inventory item's quantities (see ``inventory_buckets``)."""
    inventory = _inventory(state)
    site_map = _site_map(sync, inventory)
    memory = InventoryMemory(sync.store, sync.company)
    products = {str(p["id"]): p for p in sync.app.list_products()}
    # Writes of other sessions still pending (held, or probed without an answer): they may
    # yet change QuickBooks' quantities, so neither side of these items is merged now.
    in_doubt = {w["list_id"] for w in memory.pending() if w.get("ticket") != sync.ticket}
    for list_id, raw in sorted(inventory.get("on_hand", {}).items()):
        mapping = sync.store.mapping_by_qb_id(sync.company, ENTITY, list_id)
        product = products.get(mapping.app_id) if mapping is not None else None
        if product is None or not product.get("track_inventory"):
            continue
        if list_id in in_doubt:
            sync.attempt(
                ENTITY, _record(sync, list_id), "inventory", "held", None,
                "a quantity write of another session is still in doubt",
            )  # fmt: skip
            continue
        by_site = {(site or None): Decimal(q) for site, q in raw.items()}
        qbd_now = site_map.qbd_buckets(by_site)
        app_now = site_map.app_buckets(_stock(product))
        known = memory.baseline(list_id)
        if known is None:
            # First agreement: the product master's quantities win (INV-05).
            start = app_now if inventory["master"] == "qbd" else qbd_now
            memory.set_baseline(list_id, start, 1)
            known = (dict(start), 1)
        baseline, version = known
        from_qbd = changes(qbd_now, baseline)
        if from_qbd:
            if _apply_to_app(sync, product, list_id, from_qbd, version) == IN_DOUBT:
                # A write may have landed without its answer: the app's quantity cannot be
                # told from the connector's own change until the replay (same key) next time.
                continue
            product = sync.app.get("products", str(product["id"]))
            app_now = site_map.app_buckets(_stock(product))
        baseline, version = memory.baseline(list_id) or ({}, 0)
        from_app = changes(app_now, baseline)
        if from_qbd and from_app:
            sync.attempt(
                ENTITY, _record(sync, list_id), "inventory", "merged", None,
                f"both sides changed: QuickBooks {_show(from_qbd)}, app {_show(from_app)}",
            )  # fmt: skip
        if from_app:
            _queue_qbd_writes(sync, state, list_id, from_app, site_map)
        held_sites = site_map.unmatched_sites(by_site)
        if held_sites:
            _hold_sites(sync, product, list_id, held_sites)
        else:
            _release_sites(sync, product, list_id)


def _hold_sites(
    sync: SyncSession, product: dict[str, Any], list_id: str, held: dict[str, Decimal]
) -> None:
    """Stock at QuickBooks sites with no app location of the same (case-sensitive) name is
    held, visibly: the product is Failed with an error naming the sites; it is merged once
    such a location exists (INV-13: locations are never created from QuickBooks)."""
    sites = ", ".join(f"{site!r} ({quantity})" for site, quantity in held.items())
    message = (
        f"{HELD_AT_SITES} {sites}: no app location of that exact name "
        "(case-sensitive); create it to sync that stock"
    )
    app_id = str(product["id"])
    sync.attempt(ENTITY, app_id, "ItemSitesQueryRq", "held", None, message)
    try:
        sync.app.set_sync("products", app_id, status="failed", error=message, external_id=list_id)
    except AppApiError as exc:
        log.error("could not mark product %s held: %s", app_id, exc)


def _release_sites(sync: SyncSession, product: dict[str, Any], list_id: str) -> None:
    """No stock is held at a site any more (a location of its name exists now, or the
    site's stock went back to zero in QuickBooks): a product Failed for held stock is synced
    again, so its error never names stock that is not held (SYNC-01)."""
    state = product.get("sync") or {}
    if state.get("status") != "failed" or not str(state.get("error") or "").startswith(
        HELD_AT_SITES
    ):
        return
    app_id = str(product["id"])
    sync.attempt(ENTITY, app_id, "ItemSitesQueryRq", "applied", None, "no stock held at a site")
    try:
        sync.app.set_sync("products", app_id, status="synced", external_id=list_id)
    except AppApiError as exc:
        log.error("could not mark product %s synced: %s", app_id, exc)


def _record(sync: SyncSession, list_id: str) -> str:
    """Attempts are kept per app product (one history per record, as for pushes), or per
    ListID while the item has no product."""
    mapping = sync.store.mapping_by_qb_id(sync.company, ENTITY, list_id)
    return mapping.app_id if mapping is not None else list_id


def _show(deltas: dict[str, Decimal]) -> str:
    return ", ".join(f"{bucket} {delta:+}" for bucket, delta in sorted(deltas.items()))


def _apply_to_app(
    sync: SyncSession,
    product: dict[str, Any],
    list_id: str,
    deltas: dict[str, Decimal],
    version: int,
) -> str:
    """QuickBooks' changes, written to the app; each write moves the baseline by its amount.

    The Idempotency-Key is the baseline version and the write, so when an answer is lost
    the next session repeats the same key and the app applies it once. A refusal (negative
    stock not allowed) is held: the product is marked Failed with the app's error and the
    baseline stays, so the change is applied by a later sync once the app allows it.
    """
    memory = InventoryMemory(sync.store, sync.company)
    app_id = str(product["id"])
    transfers, adjustments = split_moves(deltas)
    writes: list[tuple[str, dict[str, Any], dict[str, Decimal]]] = []
    for move in transfers:
        body = {
            "from_location_id": move.source,
            "to_location_id": move.target,
            "quantity": str(move.quantity),
            "reason": APP_REASON,
        }
        writes.append(("transfer", body, {move.source: -move.quantity, move.target: move.quantity}))
    for bucket, delta in adjustments.items():
        body = {"location_id": bucket, "quantity_difference": str(delta), "reason": APP_REASON}
        writes.append(("adjust", body, {bucket: delta}))
    held: list[str] = []
    outcome = APPLIED
    for what, body, moved in writes:
        key = f"qbd-stock-{list_id}-v{version}-{what}-{_show(moved)}"
        try:
            if what == "transfer":
                sync.app.transfer_stock(app_id, body, idempotency_key=key)
            else:
                sync.app.adjust_stock(app_id, body, idempotency_key=key)
        except AppApiError as exc:
            held.append(str(exc))
            sync.attempt(ENTITY, app_id, f"app {what}", "held", None, str(exc))
            if exc.status is None or exc.status >= 500:
                outcome = IN_DOUBT  # unreachable, or the answer was lost
            continue
        version = memory.move_baseline(list_id, moved)
        sync.attempt(ENTITY, app_id, f"app {what}", "applied", 0, _show(moved))
    sync_state = (product.get("sync") or {}).get("status")
    try:
        if held:
            sync.app.set_sync(
                "products", app_id, status="failed",
                error=f"QuickBooks quantity change held: {held[0]}",
            )  # fmt: skip
        elif sync_state == "failed":
            sync.app.set_sync("products", app_id, status="synced", external_id=list_id)
    except AppApiError as exc:
        log.error("could not set product %s sync status: %s", app_id, exc)
    return outcome


def _queue_qbd_writes(
    sync: SyncSession,
    state: State,
    list_id: str,
    deltas: dict[str, Decimal],
    site_map: SiteMap,
) -> None:
    """The app's changes, as QuickBooks transfers (between two sites) and adjustments."""
    transfers, adjustments = split_moves(deltas) if site_map.multi_location else ([], deltas)
    for move in transfers:
        source, target = site_map.site_of_bucket(move.source), site_map.site_of_bucket(move.target)
        if source and target and source != target:
            sync.prepend(state, _write_item("TransferInventory", list_id, move, source, target))
        else:
            adjustments = {
                **adjustments,
                move.source: adjustments.get(move.source, Decimal(0)) - move.quantity,
                move.target: adjustments.get(move.target, Decimal(0)) + move.quantity,
            }
    for bucket, delta in sorted(adjustments.items()):
        if not delta:
            continue
        site = site_map.site_of_bucket(bucket)
        if site_map.multi_location and site is None:
            sync.attempt(
                ENTITY, _record(sync, list_id), "InventoryAdjustmentAddRq", "held", None,
                f"no QuickBooks site for app location {bucket}",
            )  # fmt: skip
            continue
        sync.prepend(
            state,
            {
                "kind": "inventory_write",
                "txn": "InventoryAdjustment",
                "list_id": list_id,
                "site": site,
                "moved": {bucket: str(delta)},
                "quantity": str(delta),
            },
        )


def _write_item(txn: str, list_id: str, move: Transfer, source: str, target: str) -> WorkItem:
    return {
        "kind": "inventory_write",
        "txn": txn,
        "list_id": list_id,
        "from_site": source,
        "to_site": target,
        "moved": {move.source: str(-move.quantity), move.target: str(move.quantity)},
        "quantity": str(move.quantity),
    }


# -- writing QuickBooks ------------------------------------------------------------------------


def _apply_write(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    memory = InventoryMemory(sync.store, sync.company)
    memory.drop_pending(item["ref"])
    request = f"{item['txn']}AddRq"
    if not rs.ok:
        # Nothing written; the baseline stays, so the next sync tries again.
        sync.attempt(
            ENTITY,
            _record(sync, item["list_id"]),
            request,
            "failed",
            rs.status_code,
            rs.error_text(),
        )
        return
    moved = {b: Decimal(q) for b, q in item["moved"].items()}
    memory.move_baseline(item["list_id"], moved)
    sync.attempt(
        ENTITY, _record(sync, item["list_id"]), request, "applied", rs.status_code, _show(moved)
    )


@handler("inventory_write", apply=_apply_write)
def write_quantities(sync: SyncSession, item: WorkItem, request_id: str) -> Request:
    """An adjustment or transfer; recorded as in doubt until its answer arrives."""
    memory = InventoryMemory(sync.store, sync.company)
    ref = memory.next_ref_number()
    # The session and time it was handed out: another session may neither probe for it nor
    # write this item's quantities until it is answered or that session expired (issue 19).
    memory.add_pending(
        {
            "ref": ref,
            "txn": item["txn"],
            "list_id": item["list_id"],
            "moved": item["moved"],
            "ticket": sync.ticket,
            "sent_at": sync.at(),
        }
    )
    if item["txn"] == "TransferInventory":
        transfer = irq.transfer_inventory_add_rq(
            request_id,
            ref_number=ref,
            from_site=item["from_site"],
            to_site=item["to_site"],
            memo=MEMO,
            lines=[(item["list_id"], Decimal(item["quantity"]))],
        )
        return Request(transfer, {"ref": ref})
    adjustment = irq.inventory_adjustment_add_rq(
        request_id,
        ref_number=ref,
        site=item.get("site"),
        memo=MEMO,
        lines=[(item["list_id"], Decimal(item["quantity"]))],
    )
    return Request(adjustment, {"ref": ref})


def _apply_probe(sync: SyncSession, state: State, item: WorkItem, rs: ResponseStatus) -> None:
    """A write of an earlier session whose answer was lost: found = it happened, so its
    amounts join the baseline; not found = it never did (the merge sends it again)."""
    write = item["write"]
    memory = InventoryMemory(sync.store, sync.company)
    if not rs.ok and rs.status_code not in (1, 500):
        return  # unknown still: keep it pending for the next session
    memory.drop_pending(write["ref"])
    sync.release_hold(item["kind"], write["list_id"])  # no longer in doubt
    if any(text_of(r, "RefNumber") == write["ref"] for r in rs.rets):
        moved = {b: Decimal(q) for b, q in write["moved"].items()}
        memory.move_baseline(write["list_id"], moved)
        sync.attempt(
            ENTITY, _record(sync, write["list_id"]), rs.tag[:-2] + "Rq", "adopted", 0, write["ref"]
        )


@handler("inventory_probe", apply=_apply_probe)
def probe(sync: SyncSession, item: WorkItem, request_id: str) -> etree._Element:
    write = item["write"]
    if write.get("sent_at"):
        sync.hold_while_in_flight(write["sent_at"])
    return irq.txn_query_by_ref_rq(request_id, txn_type=write["txn"], ref_number=write["ref"])
