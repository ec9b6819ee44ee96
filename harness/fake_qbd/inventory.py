"""Inventory: sites (Advanced Inventory), adjustments, transfers, purchase orders, receipts.

Quantity on hand is never stored: it is the sum of the item's movements (opening quantity,
invoice and credit memo lines, adjustments, transfers, item receipts), in total and per
site, so it always agrees with the transactions (QBD-06 to QBD-10, QBD-14). Voided
transactions move nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from harness.fake_qbd import lists
from harness.fake_qbd.errors import (
    FeatureNotEnabled,
    InvalidFieldValue,
    NoMatch,
)
from harness.fake_qbd.models import Record, Ref, TxnLine
from harness.fake_qbd.store import CompanyStore
from harness.fake_qbd.values import format_value, money

ZERO = Decimal(0)
Movement = tuple[str, str | None, Decimal]  # item ListID, site ListID (None: no site), qty


# --- quantities --------------------------------------------------------------------------


def default_site(store: CompanyStore) -> str | None:
    """With Advanced Inventory on, movements without a site land in the default site."""
    for site in store.records["InventorySite"].values():
        if site.fields.get("IsDefaultSite"):
            return site.id
    return None


def inventory_movements(store: CompanyStore) -> Iterator[Movement]:
    default = default_site(store)

    def site_of(value: Any) -> str | None:
        return value.list_id if isinstance(value, Ref) else default

    for item in store.records["ItemInventory"].values():
        opening = store.amount(item.fields.get("QuantityOnHand", 0))
        if opening:
            yield item.id, default, opening
    for kind, sign in (
        ("Invoice", -1),
        ("SalesReceipt", -1),
        ("CreditMemo", 1),
        ("ItemReceipt", 1),
        ("Bill", 1),
        ("Check", 1),
    ):
        for txn in store.records[kind].values():
            if txn.fields.get("_voided"):
                continue
            for line in store.lines_of(txn):
                item_id = _inventory_item_id(store, line)
                if item_id:
                    quantity = store.amount(line.fields.get("Quantity", 0))
                    yield item_id, site_of(line.fields.get("InventorySiteRef")), sign * quantity
    for adjustment in store.records["InventoryAdjustment"].values():
        if adjustment.fields.get("_voided"):
            continue
        site = site_of(adjustment.fields.get("InventorySiteRef"))
        for line in store.lines_of(adjustment):
            item_id = _inventory_item_id(store, line)
            if item_id:
                yield item_id, site, store.amount(line.fields["QuantityDifference"])
    for transfer in store.records["TransferInventory"].values():
        source = site_of(transfer.fields.get("FromInventorySiteRef"))
        target = site_of(transfer.fields.get("ToInventorySiteRef"))
        for line in store.lines_of(transfer):
            item_id = _inventory_item_id(store, line)
            if item_id:
                quantity = store.amount(line.fields.get("QuantityTransferred", 0))
                yield item_id, source, -quantity
                yield item_id, target, quantity


def _inventory_item_id(store: CompanyStore, line: TxnLine) -> str | None:
    ref = line.fields.get("ItemRef")
    if isinstance(ref, Ref) and ref.list_id in store.records["ItemInventory"]:
        return ref.list_id
    return None


def quantity_on_hand(store: CompanyStore, item: Record, site: str | None = "*") -> Decimal:
    """Total on hand ("*"), or on hand at one site."""
    index = store.index("quantities", lambda: _quantities(store))
    if index is not None:
        return index.get((item.id, site), ZERO)
    return sum(
        (
            quantity
            for item_id, at, quantity in inventory_movements(store)
            if item_id == item.id and (site == "*" or at == site)
        ),
        ZERO,
    )


def _quantities(store: CompanyStore) -> dict[tuple[str, str | None], Decimal]:
    """On hand per (item, site) and per (item, "*"), from one pass over the movements."""
    out: dict[tuple[str, str | None], Decimal] = {}
    for item_id, at, quantity in inventory_movements(store):
        out[(item_id, "*")] = out.get((item_id, "*"), ZERO) + quantity
        out[(item_id, at)] = out.get((item_id, at), ZERO) + quantity
    return out


#: What fills an order line: the quantity received against a purchase order, invoiced
#: against a sales order (invoicing from a sales order is not modeled: its lines stay open).
FILLED_BY = {"PurchaseOrder": "ReceivedQuantity", "SalesOrder": "Invoiced"}


def open_order_quantity(
    store: CompanyStore, kind: str, item: Record, site: str | None = "*"
) -> Decimal:
    """What of ``item`` is still open on orders of ``kind`` (PurchaseOrder, SalesOrder): in
    total ("*", ItemInventoryRet's QuantityOnOrder and QuantityOnSalesOrder) or at one site
    (ItemSitesRet's QuantityOnPurchaseOrders and QuantityOnSalesOrders; QBD-07, QBD-09).

    An order or line closed by hand counts nothing. A line's site is its own
    InventorySiteRef (sales order lines), else its order's (a purchase order's header),
    else the default site (the schema puts the site there; the sums are QuickBooks'
    documented meaning of the fields, medium confidence on details such as closed lines)."""
    default = default_site(store)
    total = ZERO
    for order in store.records[kind].values():
        if order.fields.get("IsManuallyClosed"):
            continue
        for line in store.lines_of(order):
            ref = line.fields.get("ItemRef")
            if not isinstance(ref, Ref) or ref.list_id != item.id:
                continue
            if line.fields.get("IsManuallyClosed"):
                continue
            at = line.fields.get("InventorySiteRef") or order.fields.get("InventorySiteRef")
            if site != "*" and (at.list_id if isinstance(at, Ref) else default) != site:
                continue
            ordered = store.amount(line.fields.get("Quantity", 0))
            filled = store.amount(line.fields.get(FILLED_BY[kind], 0))
            total += max(ordered - filled, ZERO)
    return total


def quantity_on_order(store: CompanyStore, item: Record) -> Decimal:
    """Ordered on open purchase orders and not yet received (QBD-09)."""
    return open_order_quantity(store, "PurchaseOrder", item)


def _check_not_negative(store: CompanyStore, changes: list[Movement]) -> None:
    if store.settings.allow_negative_inventory:
        return
    for item_id, site, quantity in changes:
        if quantity >= 0:
            continue
        item = store.records["ItemInventory"][item_id]
        where = "*" if site is None and not store.settings.multi_location_inventory else site
        if quantity_on_hand(store, item, where) + quantity < 0:
            raise InvalidFieldValue(
                "Quantity",
                format_value("Quantity", -quantity),
                f'There is not enough quantity of "{store.full_name(item)}" on hand.',
            )


def _require_sites(store: CompanyStore, feature: str) -> None:
    if not store.settings.multi_location_inventory:
        raise FeatureNotEnabled(feature)


def site_key(store: CompanyStore, ref: Any) -> str | None:
    if isinstance(ref, Ref):
        _require_sites(store, "Advanced Inventory sites")
        return ref.list_id
    return default_site(store)


# --- InventorySite -----------------------------------------------------------------------


def inventory_site_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    _require_sites(store, "Advanced Inventory sites")
    return lists.list_add(store, "InventorySite", data)


def item_sites_query(store: CompanyStore, query: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per inventory item and site, with the site's quantities (QBD-07)."""
    _require_sites(store, "Advanced Inventory sites")
    site_filter = (query.get("ItemSiteFilter") or {}).get("SiteFilter") or {}
    item_filter = (query.get("ItemSiteFilter") or {}).get("ItemFilter") or {}
    rows = []
    for item in store.records["ItemInventory"].values():
        if not _matches_ids(store, item, item_filter):
            continue
        for site in store.records["InventorySite"].values():
            if not _matches_ids(store, site, site_filter):
                continue
            key = (item.id, site.id)
            if key not in store.item_site_ids:
                store.item_site_ids[key] = store.ids.list_id("ItemSites")
            rows.append(
                {
                    "ListID": store.item_site_ids[key],
                    "ItemInventoryRef": Ref("Item", item.id),
                    "InventorySiteRef": Ref("InventorySite", site.id),
                    "QuantityOnHand": quantity_on_hand(store, item, site.id),
                    "QuantityOnPurchaseOrders": open_order_quantity(
                        store, "PurchaseOrder", item, site.id
                    ),
                    "QuantityOnSalesOrders": open_order_quantity(
                        store, "SalesOrder", item, site.id
                    ),
                }
            )
    wanted = query.get("ListID")
    if wanted:
        rows = [r for r in rows if r["ListID"] in wanted]
    if "MaxReturned" in query:
        rows = rows[: int(query["MaxReturned"])]
    if not rows:
        raise NoMatch()
    return rows


def item_sites_snapshot(store: CompanyStore) -> list[dict[str, Any]]:
    """On hand per inventory item and site, for assertions: one row named
    "<item> @ <site>" (inspection only; the qbXML door is ItemSitesQuery)."""
    rows = []
    for item in store.records["ItemInventory"].values():
        for site in store.records["InventorySite"].values():
            name = f"{store.full_name(item)} @ {store.full_name(site)}"
            quantity = format_value("QuantityOnHand", quantity_on_hand(store, item, site.id))
            rows.append({"Name": name, "QuantityOnHand": quantity})
    return rows


# --- InventoryAdjustment -----------------------------------------------------------------


def inventory_adjustment_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    header = {k: v for k, v in data.items() if k != "InventoryAdjustmentLineAdd"}
    fields = store.resolve_refs(header, "InventoryAdjustment")
    site = site_key(store, fields.get("InventorySiteRef"))
    fields.setdefault("TxnDate", store.today())
    lines: list[TxnLine] = []
    changes: list[Movement] = []
    for line_data in data.get("InventoryAdjustmentLineAdd", []):
        line_fields = store.resolve_refs(line_data, "InventoryAdjustment line")
        item = store.list_record(line_fields["ItemRef"])
        if item.kind != "ItemInventory":
            raise InvalidFieldValue(
                "ItemRef", store.full_name(item), "Only inventory items can be adjusted."
            )
        adjustment = line_fields.get("QuantityAdjustment") or {}
        current = quantity_on_hand(store, item, "*" if site is None else site)
        if "NewQuantity" in adjustment:
            difference = store.amount(adjustment["NewQuantity"]) - current
        else:
            difference = store.amount(adjustment.get("QuantityDifference", 0))
        # The response line reports QuantityDifference, never NewQuantity (QBWC-FACTS.md).
        line = TxnLine(
            store.ids.txn_line_id(),
            {
                "ItemRef": line_fields["ItemRef"],
                "QuantityDifference": difference,
                "ValueDifference": ZERO,
            },
        )
        lines.append(line)
        changes.append((item.id, site, difference))
    _check_not_negative(store, changes)
    fields["InventoryAdjustmentLine"] = lines
    return store.new_record("InventoryAdjustment", fields)


# --- TransferInventory -------------------------------------------------------------------


def transfer_inventory_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    _require_sites(store, "TransferInventory")
    header = {k: v for k, v in data.items() if k != "TransferInventoryLineAdd"}
    fields = store.resolve_refs(header, "TransferInventory")
    source = fields["FromInventorySiteRef"].list_id
    fields.setdefault("TxnDate", store.today())
    lines: list[TxnLine] = []
    changes: list[Movement] = []
    for line_data in data.get("TransferInventoryLineAdd", []):
        line_fields = store.resolve_refs(line_data, "TransferInventory line")
        item = store.list_record(line_fields["ItemRef"])
        quantity = store.amount(line_fields.get("QuantityToTransfer", 0))
        lines.append(
            TxnLine(
                store.ids.txn_line_id(),
                {"ItemRef": line_fields["ItemRef"], "QuantityTransferred": quantity},
            )
        )
        changes.append((item.id, source, -quantity))
    _check_not_negative(store, changes)
    fields["TransferInventoryLine"] = lines
    return store.new_record("TransferInventory", fields)


# --- PurchaseOrder and ItemReceipt -------------------------------------------------------


def purchase_order_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    header = {k: v for k, v in data.items() if not k.startswith("PurchaseOrderLine")}
    fields = store.resolve_refs(header, "PurchaseOrder")
    fields.setdefault("TxnDate", store.today())
    fields["PurchaseOrderLine"] = [
        priced_line(store, line, "PurchaseOrder line", "Rate")
        for line in data.get("PurchaseOrderLineAdd", [])
    ]
    return store.new_record("PurchaseOrder", fields)


def item_receipt_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    header = {
        k: v
        for k, v in data.items()
        if k not in ("ItemLineAdd", "ExpenseLineAdd", "ItemGroupLineAdd", "LinkToTxnID")
    }
    fields = store.resolve_refs(header, "ItemReceipt")
    fields.setdefault("TxnDate", store.today())
    lines = [
        priced_line(store, line, "ItemReceipt line", "Cost") for line in data.get("ItemLineAdd", [])
    ]
    for line in lines:
        site_key(store, line.fields.get("InventorySiteRef"))
    orders = [store.get("PurchaseOrder", str(txn_id)) for txn_id in data.get("LinkToTxnID", [])]
    fields["ItemLine"] = lines
    receipt = store.new_record("ItemReceipt", fields)
    for order in orders:
        _receive_against(store, order, lines)
    return receipt


def _receive_against(store: CompanyStore, order: Record, lines: list[TxnLine]) -> None:
    """Receiving items linked to a purchase order fills its lines, lowering on order."""
    for line in lines:
        item_id = _inventory_item_id(store, line) or getattr(
            line.fields.get("ItemRef"), "list_id", None
        )
        left = store.amount(line.fields.get("Quantity", 0))
        for order_line in store.lines_of(order):
            ref = order_line.fields.get("ItemRef")
            if left <= 0 or not isinstance(ref, Ref) or ref.list_id != item_id:
                continue
            ordered = store.amount(order_line.fields.get("Quantity", 0))
            received = store.amount(order_line.fields.get("ReceivedQuantity", 0))
            take = min(max(ordered - received, ZERO), left)
            order_line.fields["ReceivedQuantity"] = received + take
            left -= take
    store.touch(order)


def priced_line(store: CompanyStore, data: dict[str, Any], where: str, price_name: str) -> TxnLine:
    fields = store.resolve_refs(data, where)
    quantity = store.amount(fields.get("Quantity", 1))
    if "Amount" in fields:
        fields["Amount"] = money(store.amount(fields["Amount"]))
    elif price_name in fields:
        fields["Amount"] = money(quantity * store.amount(fields[price_name]))
    else:
        fields["Amount"] = ZERO
    return TxnLine(store.ids.txn_line_id(), fields)


def purchase_total(store: CompanyStore, record: Record) -> Decimal:
    return money(sum((line.amount for line in store.lines_of(record)), ZERO))


def is_fully_received(store: CompanyStore, order: Record) -> bool:
    return all(
        store.amount(line.fields.get("ReceivedQuantity", 0))
        >= store.amount(line.fields.get("Quantity", 0))
        for line in store.lines_of(order)
    )


def _matches_ids(store: CompanyStore, record: Record, wanted: dict[str, Any]) -> bool:
    ids = wanted.get("ListID") or []
    names = [n.casefold() for n in wanted.get("FullName") or []]
    if not ids and not names:
        return True
    return record.id in ids or store.full_name(record).casefold() in names
