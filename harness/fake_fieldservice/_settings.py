"""Organization settings of the app that decide how it syncs.

Sources: Zuper's Parts and Service Settings (seed 001: allow negative stock, the module that
tracks consumption), TaxDome's payment sync toggle and deposit account (seed 003),
Alternative Payments' payments and deposits accounts (seed 004).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from ._errors import InvalidRequest

CONSUMPTION_MODULES = ("Invoice", "Job", "Quotation", "None")


@dataclass
class Settings:
    # Zuper asks users to turn this on for the QBD sync (seed 001); off is its own default.
    allow_negative_stock: bool = False
    # Only "Invoice" works with the QBD inventory sync (seed 001, INV-15).
    consumption_module: str = "Invoice"
    # TaxDome's "sync manually created payments" toggle (seed 003). Its default is not
    # documented; on is the choice here, a scenario can turn it off.
    sync_manual_payments: bool = True
    deposit_account: str | None = None
    payments_account: str | None = None
    default_location_id: str | None = None
    default_category_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def validated_update(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Check every change before any is applied, so a bad PATCH changes nothing."""
        known = {f.name: f for f in fields(self)}
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in known:
                raise InvalidRequest(f"unknown setting: {name}")
            if name in ("allow_negative_stock", "sync_manual_payments"):
                if not isinstance(value, bool):
                    raise InvalidRequest(f"{name} must be true or false")
            elif name == "consumption_module":
                if value not in CONSUMPTION_MODULES:
                    raise InvalidRequest(
                        f"consumption_module must be one of {', '.join(CONSUMPTION_MODULES)}"
                    )
            elif value is not None and (not isinstance(value, str) or not value.strip()):
                raise InvalidRequest(f"{name} must be a non-empty string or null")
            clean[name] = value
        return clean
