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

from harness.fake_qbd.errors import (
    FeatureNotEnabled,
    InvalidFieldValue,
    NoMatch,
)
from harness.fake_qbd.models import Record, Ref, TxnLine
from harness.fake_qbd.transactions import TransactionOperations
from harness.fake_qbd.values import format_value, money

ZERO = Decimal(0)
Movement = tuple[str, str | None, Decimal]  # item ListID, site ListID (None: no site), qty


class InventoryOperations(TransactionOperations):
    # --- quantities --------------------------------------------------------------------------

    def default_site(self) -> str | None:
        """With Advanced Inventory on, movements without a site land in the default site."""
        for site in self.records["InventorySite"].values():
            if site.fields.get("IsDefaultSite"):
                return site.id
        return None

    def inventory_movements(self) -> Iterator[Movement]:
        default = self.default_site()

        def site_of(value: Any) -> str | None:
            return value.list_id if isinstance(value, Ref) else default

        for item in self.records["ItemInventory"].values():
            opening = self.amount(item.fields.get("QuantityOnHand", 0))
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
            for txn in self.records[kind].values():
                if txn.fields.get("_voided"):
                    continue
                for line in self.lines_of(txn):
                    item_id = self._inventory_item_id(line)
                    if item_id:
                        quantity = self.amount(line.fields.get("Quantity", 0))
                        yield item_id, site_of(line.fields.get("InventorySiteRef")), sign * quantity
        for adjustment in self.records["InventoryAdjustment"].values():
            if adjustment.fields.get("_voided"):
                continue
            site = site_of(adjustment.fields.get("InventorySiteRef"))
            for line in self.lines_of(adjustment):
                item_id = self._inventory_item_id(line)
                if item_id:
                    yield item_id, site, self.amount(line.fields["QuantityDifference"])
        for transfer in self.records["TransferInventory"].values():
            source = site_of(transfer.fields.get("FromInventorySiteRef"))
            target = site_of(transfer.fields.get("ToInventorySiteRef"))
            for line in self.lines_of(transfer):
                item_id = self._inventory_item_id(line)
                if item_id:
                    quantity = self.amount(line.fields.get("QuantityTransferred", 0))
                    yield item_id, source, -quantity
                    yield item_id, target, quantity

    def _inventory_item_id(self, line: TxnLine) -> str | None:
        ref = line.fields.get("ItemRef")
        if isinstance(ref, Ref) and ref.list_id in self.records["ItemInventory"]:
            return ref.list_id
        return None

    def quantity_on_hand(self, item: Record, site: str | None = "*") -> Decimal:
        """Total on hand ("*"), or on hand at one site."""
        index = self.index("quantities", self._quantities)
        if index is not None:
            return index.get((item.id, site), ZERO)
        return sum(
            (
                quantity
                for item_id, at, quantity in self.inventory_movements()
                if item_id == item.id and (site == "*" or at == site)
            ),
            ZERO,
        )

    def _quantities(self) -> dict[tuple[str, str | None], Decimal]:
        """On hand per (item, site) and per (item, "*"), from one pass over the movements."""
        out: dict[tuple[str, str | None], Decimal] = {}
        for item_id, at, quantity in self.inventory_movements():
            out[(item_id, "*")] = out.get((item_id, "*"), ZERO) + quantity
            out[(item_id, at)] = out.get((item_id, at), ZERO) + quantity
        return out

    def quantity_on_order(self, item: Record) -> Decimal:
        """Ordered on open purchase orders and not yet received (QBD-09)."""
        total = ZERO
        for order in self.records["PurchaseOrder"].values():
            if order.fields.get("IsManuallyClosed"):
                continue
            for line in self.lines_of(order):
                ref = line.fields.get("ItemRef")
                if isinstance(ref, Ref) and ref.list_id == item.id:
                    ordered = self.amount(line.fields.get("Quantity", 0))
                    received = self.amount(line.fields.get("ReceivedQuantity", 0))
                    total += max(ordered - received, ZERO)
        return total

    def _check_not_negative(self, changes: list[Movement]) -> None:
        if self.settings.allow_negative_inventory:
            return
        for item_id, site, quantity in changes:
            if quantity >= 0:
                continue
            item = self.records["ItemInventory"][item_id]
            where = "*" if site is None and not self.settings.multi_location_inventory else site
            if self.quantity_on_hand(item, where) + quantity < 0:
                raise InvalidFieldValue(
                    "Quantity",
                    format_value("Quantity", -quantity),
                    f'There is not enough quantity of "{self.full_name(item)}" on hand.',
                )

    def _require_sites(self, feature: str) -> None:
        if not self.settings.multi_location_inventory:
            raise FeatureNotEnabled(feature)

    def _site_key(self, ref: Any) -> str | None:
        if isinstance(ref, Ref):
            self._require_sites("Advanced Inventory sites")
            return ref.list_id
        return self.default_site()

    # --- InventorySite -----------------------------------------------------------------------

    def inventory_site_add(self, data: dict[str, Any]) -> Record:
        self._require_sites("Advanced Inventory sites")
        return self.list_add("InventorySite", data)

    def item_sites_query(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """One row per inventory item and site, with the site's quantities (QBD-07)."""
        self._require_sites("Advanced Inventory sites")
        site_filter = (query.get("ItemSiteFilter") or {}).get("SiteFilter") or {}
        item_filter = (query.get("ItemSiteFilter") or {}).get("ItemFilter") or {}
        rows = []
        for item in self.records["ItemInventory"].values():
            if not _matches_ids(self, item, item_filter):
                continue
            for site in self.records["InventorySite"].values():
                if not _matches_ids(self, site, site_filter):
                    continue
                key = (item.id, site.id)
                if key not in self.item_site_ids:
                    self.item_site_ids[key] = self.ids.list_id("ItemSites")
                rows.append(
                    {
                        "ListID": self.item_site_ids[key],
                        "ItemInventoryRef": Ref("Item", item.id),
                        "InventorySiteRef": Ref("InventorySite", site.id),
                        "QuantityOnHand": self.quantity_on_hand(item, site.id),
                        "QuantityOnPurchaseOrders": ZERO,
                        "QuantityOnSalesOrders": ZERO,
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

    def item_sites_snapshot(self) -> list[dict[str, Any]]:
        """On hand per inventory item and site, for assertions: one row named
        "<item> @ <site>" (inspection only; the qbXML door is ItemSitesQuery)."""
        rows = []
        for item in self.records["ItemInventory"].values():
            for site in self.records["InventorySite"].values():
                name = f"{self.full_name(item)} @ {self.full_name(site)}"
                quantity = format_value("QuantityOnHand", self.quantity_on_hand(item, site.id))
                rows.append({"Name": name, "QuantityOnHand": quantity})
        return rows

    # --- InventoryAdjustment -----------------------------------------------------------------

    def inventory_adjustment_add(self, data: dict[str, Any]) -> Record:
        header = {k: v for k, v in data.items() if k != "InventoryAdjustmentLineAdd"}
        fields = self.resolve_refs(header, "InventoryAdjustment")
        site = self._site_key(fields.get("InventorySiteRef"))
        fields.setdefault("TxnDate", self.today())
        lines: list[TxnLine] = []
        changes: list[Movement] = []
        for line_data in data.get("InventoryAdjustmentLineAdd", []):
            line_fields = self.resolve_refs(line_data, "InventoryAdjustment line")
            item = self.list_record(line_fields["ItemRef"])
            if item.kind != "ItemInventory":
                raise InvalidFieldValue(
                    "ItemRef", self.full_name(item), "Only inventory items can be adjusted."
                )
            adjustment = line_fields.get("QuantityAdjustment") or {}
            current = self.quantity_on_hand(item, "*" if site is None else site)
            if "NewQuantity" in adjustment:
                difference = self.amount(adjustment["NewQuantity"]) - current
            else:
                difference = self.amount(adjustment.get("QuantityDifference", 0))
            # The response line reports QuantityDifference, never NewQuantity (QBWC-FACTS.md).
            line = TxnLine(
                self.ids.txn_line_id(),
                {
                    "ItemRef": line_fields["ItemRef"],
                    "QuantityDifference": difference,
                    "ValueDifference": ZERO,
                },
            )
            lines.append(line)
            changes.append((item.id, site, difference))
        self._check_not_negative(changes)
        fields["InventoryAdjustmentLine"] = lines
        return self.new_record("InventoryAdjustment", fields)

    # --- TransferInventory -------------------------------------------------------------------

    def transfer_inventory_add(self, data: dict[str, Any]) -> Record:
        self._require_sites("TransferInventory")
        header = {k: v for k, v in data.items() if k != "TransferInventoryLineAdd"}
        fields = self.resolve_refs(header, "TransferInventory")
        source = fields["FromInventorySiteRef"].list_id
        fields.setdefault("TxnDate", self.today())
        lines: list[TxnLine] = []
        changes: list[Movement] = []
        for line_data in data.get("TransferInventoryLineAdd", []):
            line_fields = self.resolve_refs(line_data, "TransferInventory line")
            item = self.list_record(line_fields["ItemRef"])
            quantity = self.amount(line_fields.get("QuantityToTransfer", 0))
            lines.append(
                TxnLine(
                    self.ids.txn_line_id(),
                    {"ItemRef": line_fields["ItemRef"], "QuantityTransferred": quantity},
                )
            )
            changes.append((item.id, source, -quantity))
        self._check_not_negative(changes)
        fields["TransferInventoryLine"] = lines
        return self.new_record("TransferInventory", fields)

    # --- PurchaseOrder and ItemReceipt -------------------------------------------------------

    def purchase_order_add(self, data: dict[str, Any]) -> Record:
        header = {k: v for k, v in data.items() if not k.startswith("PurchaseOrderLine")}
        fields = self.resolve_refs(header, "PurchaseOrder")
        fields.setdefault("TxnDate", self.today())
        fields["PurchaseOrderLine"] = [
            self._priced_line(line, "PurchaseOrder line", "Rate")
            for line in data.get("PurchaseOrderLineAdd", [])
        ]
        return self.new_record("PurchaseOrder", fields)

    def item_receipt_add(self, data: dict[str, Any]) -> Record:
        header = {
            k: v
            for k, v in data.items()
            if k not in ("ItemLineAdd", "ExpenseLineAdd", "ItemGroupLineAdd", "LinkToTxnID")
        }
        fields = self.resolve_refs(header, "ItemReceipt")
        fields.setdefault("TxnDate", self.today())
        lines = [
            self._priced_line(line, "ItemReceipt line", "Cost")
            for line in data.get("ItemLineAdd", [])
        ]
        for line in lines:
            self._site_key(line.fields.get("InventorySiteRef"))
        orders = [self.get("PurchaseOrder", str(txn_id)) for txn_id in data.get("LinkToTxnID", [])]
        fields["ItemLine"] = lines
        receipt = self.new_record("ItemReceipt", fields)
        for order in orders:
            self._receive_against(order, lines)
        return receipt

    def _receive_against(self, order: Record, lines: list[TxnLine]) -> None:
        """Receiving items linked to a purchase order fills its lines, lowering on order."""
        for line in lines:
            item_id = self._inventory_item_id(line) or getattr(
                line.fields.get("ItemRef"), "list_id", None
            )
            left = self.amount(line.fields.get("Quantity", 0))
            for order_line in self.lines_of(order):
                ref = order_line.fields.get("ItemRef")
                if left <= 0 or not isinstance(ref, Ref) or ref.list_id != item_id:
                    continue
                ordered = self.amount(order_line.fields.get("Quantity", 0))
                received = self.amount(order_line.fields.get("ReceivedQuantity", 0))
                take = min(max(ordered - received, ZERO), left)
                order_line.fields["ReceivedQuantity"] = received + take
                left -= take
        self.touch(order)

    def _priced_line(self, data: dict[str, Any], where: str, price_name: str) -> TxnLine:
        fields = self.resolve_refs(data, where)
        quantity = self.amount(fields.get("Quantity", 1))
        if "Amount" in fields:
            fields["Amount"] = money(self.amount(fields["Amount"]))
        elif price_name in fields:
            fields["Amount"] = money(quantity * self.amount(fields[price_name]))
        else:
            fields["Amount"] = ZERO
        return TxnLine(self.ids.txn_line_id(), fields)

    def purchase_total(self, record: Record) -> Decimal:
        return money(sum((line.amount for line in self.lines_of(record)), ZERO))

    def is_fully_received(self, order: Record) -> bool:
        return all(
            self.amount(line.fields.get("ReceivedQuantity", 0))
            >= self.amount(line.fields.get("Quantity", 0))
            for line in self.lines_of(order)
        )


def _matches_ids(store: InventoryOperations, record: Record, wanted: dict[str, Any]) -> bool:
    ids = wanted.get("ListID") or []
    names = [n.casefold() for n in wanted.get("FullName") or []]
    if not ids and not names:
        return True
    return record.id in ids or store.full_name(record).casefold() in names
