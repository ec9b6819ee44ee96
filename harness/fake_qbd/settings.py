"""Settings of one fake QuickBooks company: what the file and the QuickBooks edition are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CompanySettings:
    company_name: str = "Acme Field Services"
    company_file: str = (
        r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Acme Field Services.QBW"
    )
    #: HostRet: a product that exists and accepts every version it lists. The 2014 release
    #: (major version 24) lists qbXML 1.0-13.0, as in a captured QuickBooks Pro 2014 HostRet
    #: (qbwc/qbwc test/wash_out_helper.rb); products with 14.0-16.0 (2021 and later) are not
    #: offered, the requests being read with the 13.0 schema (harness.certification.quickbooks).
    product_name: str = "QuickBooks Enterprise Solutions 14.0"
    major_version: str = "24"
    minor_version: str = "0"
    country: str = "US"
    #: The qbXML versions this QuickBooks answers (HostRet SupportedQBXMLVersion).
    supported_qbxml_versions: tuple[str, ...] = (
        "1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0", "6.0", "7.0", "8.0", "9.0",
        "10.0", "11.0", "12.0", "13.0",
    )  # fmt: skip
    is_automatic_login: bool = True
    qb_file_mode: str = "SingleUser"
    #: DataExtRet OwnerID/FileID of the CompanyQuery (set by the .qwc's first connection).
    owner_id: str | None = None
    file_id: str | None = None
    #: Advanced Inventory (multiple inventory sites); off = one implicit location (QBD-07).
    multi_location_inventory: bool = False
    default_site_name: str = "Main Warehouse"
    #: Class tracking (Preferences > Accounting); the Zuper inventory sync asks for
    #: "categories enabled in QuickBooks Desktop", read as this preference (unconfirmed).
    class_tracking: bool = False
    #: Idle seconds (simulated) after which an iterator is forgotten (unconfirmed: ~10 s).
    iterator_timeout_seconds: float = 10.0
    is_auto_applying_payments: bool = True
    #: QuickBooks warns in its UI but lets quantity on hand go negative (QBD-06). Whether an
    #: SDK InvoiceAdd that drives it negative succeeds is unconfirmed: on by default.
    allow_negative_inventory: bool = True
    #: Applying a payment changes the invoice's TimeModified and EditSequence in QuickBooks
    #: (commonly reported, unconfirmed): a connector holding the old EditSequence gets 3200.
    payment_touches_invoice: bool = True
    #: Times written with the zone's standard offset all through daylight saving time, as
    #: QuickBooks does (values.with_standard_offset): a connector that stores TimeModified as
    #: its modified-since cursor is an hour off all summer. Only a clock whose zone has DST
    #: (zoneinfo) shows it; off: correct offsets.
    dst_standard_offset_quirk: bool = True
    #: onError="rollbackOnError": QuickBooks does not really roll back (QBWC-FACTS.md), so
    #: by default the message set runs as under stopOnError (each later request 3231).
    #: Whether QuickBooks refuses the value instead is unconfirmed; on: the whole message
    #: set fails as a parse error (0x80040400) and nothing is applied.
    refuse_rollback_on_error: bool = False
    #: Lock, closing-date and permission errors aimed at a request type (faults.py), e.g.
    #: ``[{fault: record_in_use, request: InvoiceAdd, nth: 1, times: 1}]``.
    status_faults: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
