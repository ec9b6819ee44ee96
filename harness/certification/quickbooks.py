"""Which QuickBooks a certification plays: a product that exists, with the HostRet it
reports (ProductName, MajorVersion, SupportedQBXMLVersion) kept consistent, so a service
that writes any version the product lists gets an answer, never 0x80040423.

Only products whose newest qbXML is 13.0 or older are offered: the simulated QuickBooks
reads qbXML with the 13.0 schema, so a product listing 14.0-16.0 (QuickBooks 2021 and
later) would claim versions it cannot honestly answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_UP_TO_12 = (
    "1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0", "6.0", "7.0", "8.0", "9.0",
    "10.0", "11.0", "12.0",
)  # fmt: skip


@dataclass(frozen=True)
class QuickBooksProduct:
    product_name: str
    major_version: str
    supported_qbxml_versions: tuple[str, ...]
    source: str  # where the HostRet values come from, with a confidence label

    def host_settings(self) -> dict[str, Any]:
        """The fake company's settings that make its HostRet this product's."""
        return {
            "product_name": self.product_name,
            "major_version": self.major_version,
            "minor_version": "0",
            "supported_qbxml_versions": self.supported_qbxml_versions,
        }


PRODUCTS: dict[str, QuickBooksProduct] = {
    "enterprise-14": QuickBooksProduct(
        "QuickBooks Enterprise Solutions 14.0",
        "24",
        (*_UP_TO_12, "13.0"),
        "the 2014 release (major version 24, qbXML 1.0-13.0) as in a captured QuickBooks Pro "
        "2014 HostRet (qbwc/qbwc test/wash_out_helper.rb); the Enterprise name form is "
        "unconfirmed",
    ),
    "pro-2014": QuickBooksProduct(
        "QuickBooks Pro 2014",
        "24",
        (*_UP_TO_12, "13.0"),
        "a captured HostRet (qbwc/qbwc test/wash_out_helper.rb): confirmed",
    ),
    "pro-2013": QuickBooksProduct(
        "QuickBooks Pro 2013",
        "23",
        _UP_TO_12,
        "qbXML 12.0 shipped with QuickBooks 2013 (SDK 12.0); unconfirmed by a capture",
    ),
}
#: The default: the harness's own fake company (harness.fake_qbd.CompanySettings) is this one.
DEFAULT_PRODUCT = "enterprise-14"


def product(name: str) -> QuickBooksProduct:
    """The product called ``name``; ValueError listing the known ones otherwise."""
    try:
        return PRODUCTS[name]
    except KeyError:
        known = ", ".join(sorted(PRODUCTS))
        raise ValueError(f"unknown QuickBooks product {name!r}; known: {known}") from None
