"""Capability declarations: the seed products' load; a bad file is a file:line error."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_support import CAPABILITIES, EXAMPLES

from harness.certification import load_capabilities
from harness.scenario import ScenarioError


@pytest.mark.parametrize(
    ("name", "profile"),
    [("syncro", "syncro"), ("zuper", "zuper"), ("altpay", "altpay"), ("taxdome", "taxdome")],
)
def test_every_seed_product_has_a_declaration_for_its_profile(name: str, profile: str) -> None:
    capabilities = load_capabilities(CAPABILITIES / f"{name}.yaml")
    assert capabilities.profile == profile
    assert capabilities.claimed, "a seed product claims something"
    assert capabilities.source


def test_yes_no_and_setting_claims() -> None:
    syncro = load_capabilities(CAPABILITIES / "syncro.yaml")
    assert syncro.claim("PAY-07").label == "yes"
    assert syncro.claim("IVC-02").label == "no"
    assert not syncro.claim("IVC-02").claimed
    assert syncro.claim("CUS-01").label == "with setting customer_master_sync"
    assert syncro.claim("CUS-02").label == "with setting customer_direction=both"
    assert not syncro.claim("INV-01").claimed  # not named: not claimed
    assert "INV-01" not in syncro.claimed and "PAY-07" in syncro.claimed


def test_the_example_declaration_loads() -> None:
    assert load_capabilities(EXAMPLES / "vendor-capabilities.yaml").product


def _problems(tmp_path: Path, text: str) -> str:
    path = tmp_path / "caps.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_capabilities(path)
    return str(info.value)


def test_an_unknown_behavior_id_names_the_line(tmp_path: Path) -> None:
    text = _problems(tmp_path, "product: X\nclaims:\n  PAY-02: yes\n  PAY-99: yes\n")
    assert "caps.yaml:4: unknown behavior ID PAY-99" in text


def test_a_claim_that_is_not_yes_no_or_a_setting_names_its_line(tmp_path: Path) -> None:
    text = _problems(tmp_path, "product: X\nclaims:\n  PAY-02: yes\n  PAY-03: maybe\n")
    assert "caps.yaml:4: claims.PAY-03: expected yes, no or {setting: NAME" in text


def test_a_setting_claim_with_an_unknown_key_names_its_line(tmp_path: Path) -> None:
    text = _problems(tmp_path, "product: X\nclaims:\n  CUS-05: {settings: x}\n")
    assert "caps.yaml:3:" in text


def test_an_unknown_profile_lists_the_known_ones(tmp_path: Path) -> None:
    text = _problems(tmp_path, "product: X\nprofile: quickbooks\nclaims: {}\n")
    assert "caps.yaml:2: unknown profile 'quickbooks'" in text and "syncro" in text


def test_missing_product_and_unknown_keys(tmp_path: Path) -> None:
    text = _problems(tmp_path, "claims: {}\nclaimz: {}\n")
    assert "missing required 'product'" in text
    assert "caps.yaml:2: unexpected key 'claimz'" in text


def test_not_yaml_and_not_a_mapping(tmp_path: Path) -> None:
    assert "caps.yaml:2: not valid YAML" in _problems(tmp_path, "product: X\n\tclaims: {}\n")
    assert "caps.yaml:1: a capability file is a mapping" in _problems(tmp_path, "- PAY-02\n")
