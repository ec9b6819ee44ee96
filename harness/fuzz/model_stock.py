"""The stock ledger: one inventory product, followed per app location and per QuickBooks
site, learnt from the steps alone (``learn``), and what both sides must show after a quiet
sync (``expectation``).

The connector merges quantities three ways against the last agreed value, so what changed
on each side since is applied to the other and changes on both sides add up (seeds/001,
INV-04; connector/sync/inventory_buckets.py). Every rule changes stock by a difference
(an adjustment's Quantity Difference, a transfer), never to a New Quantity: a new quantity
set on one side while the other side's changes wait is a difference that depends on which
syncs ran first, which the steps alone do not say. After a quiet sync therefore:

- per app location, the opening stock plus every difference at that location on either
  side (with Advanced Inventory a site's changes go to the app location of its exact name,
  INV-07, INV-13; without it every QuickBooks change goes to the default location);
- per QuickBooks site (or, without Advanced Inventory, the item's one quantity), the same
  from the other way: an app location's changes go to the site of its name; an app
  transfer is a QuickBooks transfer with sites and nothing at all without (INV-12);
- nothing applied twice: the totals say so (INV-04, SYNC-03);
- stock at the site with no app location of its exact name ("van 2") never reaches the
  app, and while it is not zero the product is Failed with an error naming the site
  (INV-13, issue 19 bug 2); once it is zero again nothing is held and the product is
  synced.

What the model cannot know (a model gap, ``model_doubt``): after any fault, or after two
computers of one user ran at once while a stock change waited, a stock write of the
connector may be in doubt; the connector then merges neither side of the item until it is
probed, and that hold shows only in its own history, not in the app: the checks stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from harness.fuzz.model_doubt import Doubt
from harness.fuzz.worlds import (
    DEFAULT_LOCATION,
    LOCATIONS,
    OPENING_STOCK,
    PRODUCT,
    SITES,
    UNMATCHED_SITE,
)

#: The product's ID in the app (the only product the world creates).
PRODUCT_ID = "prd_0001"
#: The held-stock error names the site like this (connector/sync/inventory.py).
HELD_SITE = f"'{UNMATCHED_SITE}'"

ZERO = Decimal(0)


def location_id(name: str) -> str:
    return f"loc_{LOCATIONS.index(name) + 1:04d}"


@dataclass
class Stock:
    #: Advanced Inventory on: QuickBooks holds the product per site
    sites: bool
    #: what each app location must hold
    app: dict[str, Decimal] = field(init=False)
    #: what each QuickBooks site must hold (without sites: under None, the one quantity)
    qbd: dict[str | None, Decimal] = field(init=False)
    #: whether a stock write may be in doubt (the opening stock waits to be pushed)
    doubt: Doubt = field(default_factory=lambda: Doubt(waiting=True))

    def __post_init__(self) -> None:
        self.app = {name: ZERO for name in LOCATIONS}
        self.app[DEFAULT_LOCATION] = Decimal(OPENING_STOCK)
        if self.sites:
            self.qbd = {site: ZERO for site in SITES}
            self.qbd[DEFAULT_LOCATION] = Decimal(OPENING_STOCK)
        else:
            self.qbd = {None: Decimal(OPENING_STOCK)}

    # -- learning ------------------------------------------------------------------------

    def observe(self, key: str, args: Any) -> None:
        """Follow one raw step (its key and arguments) that was carried out."""
        self.doubt.observe(key, args)
        learn = _LEARN.get(key)
        if learn is not None:
            learn(self, args)
            self.doubt.waiting = True

    def _site(self, site: str | None) -> str | None:
        return site if self.sites else None

    def _to_app(self, site: str | None, delta: Decimal) -> None:
        """A QuickBooks change at ``site``, as it reaches the app."""
        if not self.sites:
            self.app[DEFAULT_LOCATION] += delta
        elif site in LOCATIONS:
            self.app[site] += delta
        # else: the unmatched site, held (INV-13)

    def adjust_in_app(self, location: str, delta: Decimal) -> None:
        self.app[location] += delta
        self.qbd[self._site(location)] += delta

    def transfer_in_app(self, source: str, target: str, quantity: Decimal) -> None:
        self.app[source] -= quantity
        self.app[target] += quantity
        if self.sites:
            self.qbd[source] -= quantity
            self.qbd[target] += quantity

    def adjust_in_qbd(self, site: str | None, delta: Decimal) -> None:
        site = self._site(site)
        self.qbd[site] += delta
        self._to_app(site, delta)

    def transfer_in_qbd(self, source: str, target: str, quantity: Decimal) -> None:
        self.qbd[source] -= quantity
        self.qbd[target] += quantity
        self._to_app(source, -quantity)
        self._to_app(target, quantity)

    # -- what must show at a quiet point -------------------------------------------------

    def expectation(self) -> dict[str, Any]:
        """The stock part of the ``expect`` block (empty once a write may be in doubt)."""
        if not self.doubt.certain:
            return {}
        app_sums = {
            f"movements[product_id={PRODUCT_ID}][location_id={location_id(name)}].quantity": (
                str(quantity)
            )
            for name, quantity in self.app.items()
        }
        product: dict[str, Any] = {"quantity": str(sum(self.app.values(), ZERO))}
        if self.sites and self.qbd[UNMATCHED_SITE]:
            product["sync"] = {"status": "failed", "error": {"contains": HELD_SITE}}
        else:
            product["sync"] = {"status": "synced"}
        qbd: dict[str, Any] = {
            "ItemInventory": {PRODUCT: {"QuantityOnHand": str(sum(self.qbd.values(), ZERO))}}
        }
        if self.sites:
            qbd["ItemSites"] = {
                f"{PRODUCT} @ {site}": {"QuantityOnHand": str(quantity)}
                for site, quantity in self.qbd.items()
            }
        return {"app": {"products": {PRODUCT: product}}, "app_sums": app_sums, "qbd": qbd}


def stock_for(advanced_inventory: bool | None) -> Stock | None:
    """The ledger of a world (None: a world without the inventory product)."""
    return None if advanced_inventory is None else Stock(sites=advanced_inventory)


def _difference(args: dict[str, Any]) -> Decimal:
    return Decimal(str(args["quantity_difference"]))


def _app_adjust(stock: Stock, args: dict[str, Any]) -> None:
    stock.adjust_in_app(str(args["location"]), _difference(args))


def _app_transfer(stock: Stock, args: dict[str, Any]) -> None:
    quantity = Decimal(str(args["quantity"]))
    stock.transfer_in_app(str(args["from_location"]), str(args["to_location"]), quantity)


def _qbd_adjust(stock: Stock, args: dict[str, Any]) -> None:
    stock.adjust_in_qbd(args.get("site"), _difference(args))


def _qbd_transfer(stock: Stock, args: dict[str, Any]) -> None:
    (line,) = args["lines"]
    quantity = Decimal(str(line["quantity"]))
    stock.transfer_in_qbd(str(args["from_site"]), str(args["to_site"]), quantity)


_LEARN: dict[str, Any] = {
    "app.adjust_stock": _app_adjust,
    "app.transfer_stock": _app_transfer,
    "qbd.adjust_quantity": _qbd_adjust,
    "qbd.transfer_inventory": _qbd_transfer,
}
