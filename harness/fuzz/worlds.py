"""The worlds of the ledger areas (``stock``, ``credits``, ``deposits``): the fuzzed world
plus an inventory product, stock locations and sites, and a deposit bank account.

A run that has a rule of these areas draws its world from ``ledger_worlds`` too
(``machine.worlds_drawn``); any other run draws from the sync directions alone
(``machine.DIRECTIONS``), as before, so the worlds, requests and draws of the runs the
planted bugs are pinned with do not change. A world's
name is its directions, then ``+sites`` (Advanced Inventory on: QuickBooks holds stock per
site, QBD-07) or ``+one-site`` (off: one quantity per item, the app's stock folds into the
default location, INV-13).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: The same QuickBooks user's .qwc on a second computer, in every world: in plain syncs,
#: and at once with the first computer (``rules.same_user_concurrent_sync``).
SECOND_WEB_CONNECTOR = "office-2"

#: The areas whose rules need a ledger world.
LEDGER_AREAS = frozenset({"stock", "credits", "deposits"})

#: The inventory product both sides follow (product master: the app, INV-02), created in the
#: app with its opening stock; QuickBooks has it from the first sync on.
PRODUCT = "Air Filter"
#: The app's stock locations, in creation order (IDs loc_0001, loc_0002); the first is the
#: default location (INV-01).
LOCATIONS = ("Main Warehouse", "Van 1")
DEFAULT_LOCATION = LOCATIONS[0]
OPENING_STOCK = 10
#: With Advanced Inventory, QuickBooks' sites: the new file's default site "Main Warehouse"
#: (harness/fake_qbd/settings.py), "Van 1", and "van 2", which has no app location of its
#: exact (case-sensitive) name: its stock is held with an error naming it (INV-13).
UNMATCHED_SITE = "van 2"
SITES = (*LOCATIONS, UNMATCHED_SITE)
#: Where deposits of synced app payments go (PAY-15, QBD-13).
BANK = "Operating Bank"

INVENTORY: dict[str, Any] = {
    "product_master": "app",
    "min_quantity": 1,
    "non_inventory_quantity": 0,
    "default_category": "Parts",
    "default_location": DEFAULT_LOCATION,
}


def ledger_worlds(directions: Iterable[str]) -> list[str]:
    return [f"{d}+{inventory}" for d in directions for inventory in ("sites", "one-site")]


def directions_of(world: str) -> str:
    """The sync directions of a world (a key of ``machine.DIRECTIONS``)."""
    return world.partition("+")[0]


def advanced_inventory(world: str) -> bool | None:
    """Whether the world has Advanced Inventory on; None: a world without the ledgers."""
    inventory = world.partition("+")[2]
    return None if not inventory else inventory == "sites"


def ledger_config(world: str) -> dict[str, Any]:
    """The connector settings a ledger world adds: the inventory sync."""
    return {} if advanced_inventory(world) is None else {"inventory": INVENTORY}


def ledger_given(world: str) -> dict[str, Any]:
    """What a ledger world adds to the ``given`` block: the product at its locations
    (negative stock allowed in the app, as QuickBooks allows it: INV-14, QBD-06, so no
    change is refused), the sites, the bank account and the app's deposit setting."""
    multi = advanced_inventory(world)
    if multi is None:
        return {}
    sites = [{"add_site": {"name": site}} for site in SITES[1:]] if multi else []
    return {
        "qbd_settings": {"class_tracking": True, "multi_location_inventory": multi},
        "app_settings": {"allow_negative_stock": True, "deposit_account": BANK},
        "qbd": [{"add_account": {"name": BANK, "account_type": "Bank"}}, *sites],
        "app": [
            {"create_category": {"name": "Parts"}},
            *({"create_location": {"name": name}} for name in LOCATIONS),
            {"create_product": {"name": PRODUCT, "price": "12.50"}},
            {
                "adjust_stock": {
                    "product": PRODUCT,
                    "location": DEFAULT_LOCATION,
                    "new_quantity": OPENING_STOCK,
                }
            },
        ],
    }
