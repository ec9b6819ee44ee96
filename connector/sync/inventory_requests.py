"""qbXML requests of the item and inventory sync, built in qbxml130 element order (a
misordered element is a 0x80040400 parse error, QBWC-FACTS.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from connector.qbxml.requests import _ref, _rq, _text, money, quantity

#: Item types the sync handles: the app's product kinds map onto these.
INVENTORY = "ItemInventory"
NON_INVENTORY = "ItemNonInventory"
SERVICE = "ItemService"
ITEM_TYPES = (INVENTORY, NON_INVENTORY, SERVICE)
#: Accounts of a new QuickBooks company file that inventory items and adjustments use.
INCOME_ACCOUNT = "Sales"
COGS_ACCOUNT = "Cost of Goods Sold"
ASSET_ACCOUNT = "Inventory Asset"


@dataclass(frozen=True)
class ItemFields:
    """What the app and QuickBooks share about an item."""

    name: str
    description: str
    price: Decimal
    taxable: bool


def preferences_query_rq(request_id: str) -> etree._Element:
    return _rq("PreferencesQueryRq", request_id)


def item_query_rq(request_id: str, *, full_name: str | None = None) -> etree._Element:
    """ItemQueryRq: one item by name (any type: names are unique across the Item list,
    QBD-02), or every active item."""
    if full_name is not None:
        return _rq("ItemQueryRq", request_id, _text("FullName", full_name))
    return _rq("ItemQueryRq", request_id, _text("ActiveStatus", "ActiveOnly"))


def item_query_by_id_rq(request_id: str, *, list_id: str) -> etree._Element:
    return _rq("ItemQueryRq", request_id, _text("ListID", list_id))


def inventory_site_query_rq(request_id: str) -> etree._Element:
    return _rq("InventorySiteQueryRq", request_id)


def item_sites_query_rq(request_id: str) -> etree._Element:
    """Per-site quantities of every inventory item (Advanced Inventory, QBD-07)."""
    return _rq("ItemSitesQueryRq", request_id)


def _tax_code(taxable: bool) -> etree._Element:
    return _ref("SalesTaxCodeRef", full_name="Tax" if taxable else "Non")


def _sales_or_purchase(tag: str, fields: ItemFields, *, account: bool) -> etree._Element:
    # SalesOrPurchase(Mod): Desc, Price, AccountRef in that order.
    sales = etree.Element(tag)
    sales.append(_text("Desc", fields.description))
    sales.append(_text("Price", money(fields.price)))
    if account:
        sales.append(_ref("AccountRef", full_name=INCOME_ACCOUNT))
    return sales


def item_add_rq(request_id: str, *, item_type: str, fields: ItemFields) -> etree._Element:
    """ItemInventoryAdd / ItemNonInventoryAdd / ItemServiceAdd with no quantity: stock
    reaches QuickBooks only through adjustments, so the quantity sync owns every unit."""
    add = etree.Element(item_type + "Add")
    add.append(_text("Name", fields.name))
    add.append(_tax_code(fields.taxable))
    if item_type == INVENTORY:
        add.append(_text("SalesDesc", fields.description))
        add.append(_text("SalesPrice", money(fields.price)))
        add.append(_ref("IncomeAccountRef", full_name=INCOME_ACCOUNT))
        add.append(_ref("COGSAccountRef", full_name=COGS_ACCOUNT))
        add.append(_ref("AssetAccountRef", full_name=ASSET_ACCOUNT))
    else:
        add.append(_sales_or_purchase("SalesOrPurchase", fields, account=True))
    return _rq(item_type + "AddRq", request_id, add)


def item_mod_rq(
    request_id: str, *, item_type: str, list_id: str, edit_sequence: str, fields: ItemFields
) -> etree._Element:
    mod = etree.Element(item_type + "Mod")
    mod.append(_text("ListID", list_id))
    mod.append(_text("EditSequence", edit_sequence))
    mod.append(_text("Name", fields.name))
    mod.append(_tax_code(fields.taxable))
    if item_type == INVENTORY:
        mod.append(_text("SalesDesc", fields.description))
        mod.append(_text("SalesPrice", money(fields.price)))
    else:
        mod.append(_sales_or_purchase("SalesOrPurchaseMod", fields, account=False))
    return _rq(item_type + "ModRq", request_id, mod)


def inventory_adjustment_add_rq(
    request_id: str,
    *,
    ref_number: str,
    site: str | None,
    memo: str,
    lines: list[tuple[str, Decimal]],
) -> etree._Element:
    """InventoryAdjustmentAdd with QuantityDifference lines (ListID, difference), at one
    site or, without Advanced Inventory, none (QBD-08)."""
    add = etree.Element("InventoryAdjustmentAdd")
    add.append(_ref("AccountRef", full_name=COGS_ACCOUNT))
    add.append(_text("RefNumber", ref_number))
    if site:
        add.append(_ref("InventorySiteRef", full_name=site))
    add.append(_text("Memo", memo))
    for list_id, difference in lines:
        line = etree.SubElement(add, "InventoryAdjustmentLineAdd")
        line.append(_ref("ItemRef", list_id=list_id))
        adjustment = etree.SubElement(line, "QuantityAdjustment")
        adjustment.append(_text("QuantityDifference", quantity(difference)))
    return _rq("InventoryAdjustmentAddRq", request_id, add)


def transfer_inventory_add_rq(
    request_id: str,
    *,
    ref_number: str,
    from_site: str,
    to_site: str,
    memo: str,
    lines: list[tuple[str, Decimal]],
) -> etree._Element:
    """TransferInventoryAdd: moves stock between sites, the total stays (QBD-14)."""
    add = etree.Element("TransferInventoryAdd")
    add.append(_text("RefNumber", ref_number))
    add.append(_ref("FromInventorySiteRef", full_name=from_site))
    add.append(_ref("ToInventorySiteRef", full_name=to_site))
    add.append(_text("Memo", memo))
    for list_id, moved in lines:
        line = etree.SubElement(add, "TransferInventoryLineAdd")
        line.append(_ref("ItemRef", list_id=list_id))
        line.append(_text("QuantityToTransfer", quantity(moved)))
    return _rq("TransferInventoryAddRq", request_id, add)


def txn_query_by_ref_rq(request_id: str, *, txn_type: str, ref_number: str) -> etree._Element:
    """InventoryAdjustmentQuery / TransferInventoryQuery by RefNumber: the probe after a
    lost answer (guide p.53: never resend a write blindly)."""
    return _rq(f"{txn_type}QueryRq", request_id, _text("RefNumber", ref_number))
