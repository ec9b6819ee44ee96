"""Changing the organization settings (``_settings.Settings``), all checked before any applies."""

from __future__ import annotations

from typing import Any

from . import _catalogue
from ._settings import Settings
from ._state import AppState


def update_settings(db: AppState, changes: dict[str, Any]) -> Settings:
    clean = db.settings.validated_update(changes)
    if clean.get("default_location_id") is not None:
        _catalogue.get_location(db, clean["default_location_id"])
    if clean.get("default_category_id") is not None:
        _catalogue.get_category(db, clean["default_category_id"])
    for key, value in clean.items():
        setattr(db.settings, key, value)
    db.record_change("settings", "settings", "update")
    return db.settings
