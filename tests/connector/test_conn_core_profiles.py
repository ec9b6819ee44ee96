"""Profiles: named presets of settings; explicit settings win; unknown names are refused."""

from __future__ import annotations

import pytest
from conn_support import TinyApp, make_settings
from pydantic import ValidationError

from connector.profiles import PROFILES, apply_profile
from connector.settings import ConnectorSettings


def test_a_profile_fills_in_its_presets() -> None:
    settings = make_settings(TinyApp(), profile="syncro")
    assert settings.sync_zero_invoices is False
    assert settings.customer_direction == "to_qbd"
    assert settings.sync_payments_from_qbd is False
    assert settings.app_invoice_deletion == "void"


def test_an_explicit_setting_wins_over_the_profile() -> None:
    settings = make_settings(TinyApp(), profile="syncro", sync_zero_invoices=True)
    assert settings.sync_zero_invoices is True
    assert settings.customer_master_sync is False  # the rest of the preset still applies


def test_the_default_profile_is_the_reference_behavior() -> None:
    settings = make_settings(TinyApp())
    assert settings.sync_zero_invoices is True
    assert settings.customer_master_sync is True
    assert settings.sync_customer_edits is True


def test_an_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(ValidationError, match=r"unknown profile 'quickbooks-online'.*altpay"):
        make_settings(TinyApp(), profile="quickbooks-online")


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_preset_names_real_settings_with_valid_values(name: str) -> None:
    unknown = set(PROFILES[name]) - set(ConnectorSettings.model_fields)
    assert not unknown, f"profile {name} presets unknown settings {unknown}"
    settings = make_settings(TinyApp(), profile=name)
    for field, value in PROFILES[name].items():
        assert getattr(settings, field) == value


def test_apply_profile_leaves_the_input_alone() -> None:
    data = {"profile": "altpay"}
    merged = apply_profile(data)
    assert data == {"profile": "altpay"}
    assert merged["customer_direction"] == "from_qbd"
