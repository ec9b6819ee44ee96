"""What the item and inventory sync remembers between sessions, kept in the store's
per-company key/value cursors: each item's baseline quantities (the last agreed value per
bucket, see ``inventory_buckets``), each item's QuickBooks type, the app fields last synced
(to see an app edit), and QuickBooks writes whose answer has not arrived yet."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from connector.store import Store

_BASELINE = "inventory.baseline."
_TYPE = "item.type."
_FIELDS = "item.fields."
_PENDING = "inventory.pending"
_REF_COUNTER = "inventory.ref"


class InventoryMemory:
    """The sync's memory for one company."""

    def __init__(self, store: Store, company: str) -> None:
        self.store = store
        self.company = company

    def _get(self, key: str) -> Any:
        text = self.store.get_cursor(self.company, key)
        return None if not text else json.loads(text)

    def _put(self, key: str, value: Any) -> None:
        self.store.set_cursor(self.company, key, json.dumps(value, sort_keys=True))

    # -- baselines ------------------------------------------------------------------------

    def baseline(self, list_id: str) -> tuple[dict[str, Decimal], int] | None:
        """The last agreed quantity per bucket and its version (None: never agreed)."""
        data = self._get(_BASELINE + list_id)
        if data is None:
            return None
        return {b: Decimal(q) for b, q in data["q"].items()}, int(data["v"])

    def set_baseline(self, list_id: str, quantities: dict[str, Decimal], version: int) -> None:
        clean = {b: str(q) for b, q in sorted(quantities.items()) if q}
        self._put(_BASELINE + list_id, {"q": clean, "v": version})

    def move_baseline(self, list_id: str, deltas: dict[str, Decimal]) -> int:
        """Add an applied write's amounts to the baseline; returns the new version."""
        current = self.baseline(list_id)
        quantities, version = current if current is not None else ({}, 0)
        for bucket, delta in deltas.items():
            quantities[bucket] = quantities.get(bucket, Decimal(0)) + delta
        self.set_baseline(list_id, quantities, version + 1)
        return version + 1

    # -- item types and synced fields -------------------------------------------------------

    def item_type(self, list_id: str) -> str | None:
        value = self._get(_TYPE + list_id)
        return None if value is None else str(value)

    def set_item_type(self, list_id: str, item_type: str) -> None:
        self._put(_TYPE + list_id, item_type)

    def synced_fields(self, app_id: str) -> str | None:
        value = self._get(_FIELDS + app_id)
        return None if value is None else str(value)

    def set_synced_fields(self, app_id: str, fingerprint: str) -> None:
        self._put(_FIELDS + app_id, fingerprint)

    # -- QuickBooks writes in doubt -----------------------------------------------------------

    def pending(self) -> list[dict[str, Any]]:
        return list(self._get(_PENDING) or [])

    def add_pending(self, write: dict[str, Any]) -> None:
        self._put(_PENDING, [*self.pending(), write])

    def drop_pending(self, ref_number: str) -> None:
        self._put(_PENDING, [w for w in self.pending() if w["ref"] != ref_number])

    def next_ref_number(self) -> str:
        """RefNumber of the connector's next adjustment or transfer (at most 11 characters,
        qbxml130): the probe after a lost answer finds it by this."""
        number = int(self._get(_REF_COUNTER) or 0) + 1
        self._put(_REF_COUNTER, number)
        return f"QBWC-{number:06d}"
