"""The reference connector under each seed product's profile, certified against that
product's declaration (harness/certification/capabilities/): every claim passes."""

from __future__ import annotations

import pytest
from cert_support import certify_seed


@pytest.mark.slow
@pytest.mark.parametrize("product", ["altpay", "syncro", "taxdome", "zuper"])
def test_each_seed_profile_reproduces_its_declaration(product: str) -> None:
    cert = certify_seed(product)
    not_passed = {
        v.behavior: f"{v.verdict}: {[(r.id, r.status) for r in v.results]} {v.reason or ''}"
        for v in cert.verdicts
        if v.verdict not in ("passed", "not claimed")
    }
    assert not_passed == {}
    assert cert.certified
    assert {r.status for r in cert.results} == {"passed"}
    claimed = {v.behavior for v in cert.verdicts if v.verdict == "passed"}
    assert claimed == set(load_claimed(product))


def load_claimed(product: str) -> list[str]:
    from cert_support import CAPABILITIES

    from harness.certification import load_capabilities

    return load_capabilities(CAPABILITIES / f"{product}.yaml").claimed
