"""The payment modes a payment may name ("Cash", "Online", ...): a payment whose mode the
app lacks is refused (seed 000).
"""

from __future__ import annotations

from ._errors import Conflict
from ._fields import clean_text
from ._models import PaymentMode
from ._state import AppState


def create_payment_mode(db: AppState, name: object) -> PaymentMode:
    clean_name = clean_text(name, "name")
    assert clean_name is not None
    if find_payment_mode(db, clean_name) is not None:
        raise Conflict(f"payment mode {clean_name!r} already exists", code="duplicate_name")
    now = db.clock.now()
    mode = PaymentMode(id=db.new_id("pm"), created_at=now, updated_at=now, name=clean_name)
    db.payment_modes[mode.id] = mode
    db.record_change("payment_mode", mode.id, "create")
    return mode


def find_payment_mode(db: AppState, name: str) -> PaymentMode | None:
    # Exact match: the seed only says the mode must exist in Zuper (seed 000); a mode
    # spelled differently is a different mode.
    for mode in db.payment_modes.values():
        if mode.name == name:
            return mode
    return None
