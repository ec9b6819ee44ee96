"""Profiles: named presets of connector settings that reproduce a seed product's documented
behavior (its limitations included), so a scenario can show what that product does.

A profile only supplies defaults: a setting given explicitly (a scenario's ``config:``, a
settings file) wins over the profile's value. ``default`` is the reference behavior: every
behavior of BEHAVIORS.md done the best way.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

#: profile name -> the settings it changes from the defaults, with the seed that says so.
PROFILES: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "default": {},
        # Syncro's QBD column (seeds/002): not a two-way sync; customers sync only when an
        # invoice of theirs does ("Sync Customer records when a customer is updated: No"),
        # invoices are not synced back from QuickBooks, $0 invoices do not sync, payments
        # do not come back from QuickBooks, credit memos do not come back.
        "syncro": {
            "customer_direction": "to_qbd",
            "invoice_direction": "to_qbd",
            "customer_master_sync": False,
            "sync_customer_edits": False,
            "sync_zero_invoices": False,
            "sync_payments_from_qbd": False,
            "app_invoice_deletion": "void",
        },
        # Alternative Payments (seeds/004): invoices and customers come from QuickBooks;
        # customers and invoices created in the app do not go to QuickBooks (CUS-07);
        # deletions in QuickBooks reach the app; the last 12 months first, then history.
        "altpay": {
            "customer_direction": "from_qbd",
            "invoice_direction": "from_qbd",
            "customer_master": "qbd",
            "invoice_master": "qbd",
            "initial_sync_months": 12,
        },
        # Zuper (seeds/000, 001): two-way customers and invoices, the app is the master.
        "zuper": {
            "customer_direction": "both",
            "invoice_direction": "both",
            # seeds/001: "turn on the 'Allow Negative Stock Balance' setting in Zuper".
            "inventory_require_negative_stock": True,
        },
        # TaxDome (seeds/003): invoices go to QuickBooks and are synced manually when Not
        # synced / Skipped / Failed, once the client is synced (IVC-09); nothing comes back.
        "taxdome": {
            "customer_direction": "to_qbd",
            "invoice_direction": "to_qbd",
        },
    }
)


class UnknownProfileError(ValueError):
    pass


def profile_defaults(name: str) -> Mapping[str, Any]:
    """The settings ``name`` presets; an unknown name is an error listing the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UnknownProfileError(f"unknown profile {name!r} (known: {known})") from None


def apply_profile(data: Mapping[str, Any]) -> dict[str, Any]:
    """Settings ``data`` with its profile's presets filled in where ``data`` is silent."""
    presets = profile_defaults(str(data.get("profile", "default")))
    return {**presets, **data}
