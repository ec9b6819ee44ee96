"""Which QuickBooks a certification plays: every product's HostRet is consistent, it
answers every qbXML version it lists, and the choice reaches the fake company."""

from __future__ import annotations

import pytest

from harness.certification.plan import playing
from harness.certification.quickbooks import DEFAULT_PRODUCT, PRODUCTS, product
from harness.clock import SimClock
from harness.fake_qbd import CompanySettings, QBDCompany

QUERY = (
    '<?xml version="1.0"?><?qbxml version="{v}"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
    '<CustomerQueryRq requestID="1"><MaxReturned>1</MaxReturned></CustomerQueryRq>'
    "</QBXMLMsgsRq></QBXML>"
)


@pytest.mark.parametrize("name", sorted(PRODUCTS))
def test_a_product_answers_every_version_it_lists(name: str) -> None:
    chosen = product(name)
    company = QBDCompany(CompanySettings(**chosen.host_settings()), clock=SimClock())
    hcp = company.hcp_response()
    assert f"<ProductName>{chosen.product_name}</ProductName>" in hcp
    assert f"<MajorVersion>{chosen.major_version}</MajorVersion>" in hcp
    for version in chosen.supported_qbxml_versions:
        assert f"<SupportedQBXMLVersion>{version}</SupportedQBXMLVersion>" in hcp
        # an answer, not 0x80040423 (process raises when QuickBooks fails the request)
        assert "<CustomerQueryRs " in company.process(QUERY.format(v=version)), version


def test_the_fake_company_by_default_is_the_default_product() -> None:
    settings = CompanySettings()
    default = product(DEFAULT_PRODUCT).host_settings()
    assert {k: getattr(settings, k) for k in default} == default


def test_years_and_versions_agree() -> None:
    """Major version 24 is the 2014 release (qbXML 13.0), 23 the 2013 one (12.0)."""
    newest = {p.major_version: p.supported_qbxml_versions[-1] for p in PRODUCTS.values()}
    assert newest == {"24": "13.0", "23": "12.0"}


def test_a_scenario_naming_its_versions_plays_its_own_product() -> None:
    own = {"product_name": "QuickBooks Pro 2013", "supported_qbxml_versions": ("12.0",)}
    assert playing(product("pro-2014"), own) == own
    assert playing(product("pro-2014"), {"country": "US"})["product_name"] == "QuickBooks Pro 2014"


def test_an_unknown_product_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="known: enterprise-14, pro-2013, pro-2014"):
        product("qb-2099")
