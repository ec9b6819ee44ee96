"""HostRet, CompanyRet and PreferencesRet: what the company says of itself, its host and
its preferences (HostQuery, CompanyQuery, PreferencesQuery; the strHCPResponse of a
session's first sendRequestXML, guide p.22, p.80)."""

from __future__ import annotations

from lxml import etree

from harness.fake_qbd.render import element
from harness.fake_qbd.store import CompanyStore


def host_ret(store: CompanyStore) -> etree._Element:
    s = store.settings
    node = etree.Element("HostRet")
    node.append(element("ProductName", s.product_name))
    node.append(element("MajorVersion", s.major_version))
    node.append(element("MinorVersion", s.minor_version))
    node.append(element("Country", s.country))
    node.extend(element("SupportedQBXMLVersion", v) for v in s.supported_qbxml_versions)
    node.append(element("IsAutomaticLogin", _bool(s.is_automatic_login)))
    node.append(element("QBFileMode", s.qb_file_mode))
    return node


def company_ret(store: CompanyStore, owners: frozenset[str] | None = None) -> etree._Element:
    """``owners``: the OwnerIDs a CompanyQueryRq names (its data extensions come only for
    them, as in every query: custom_fields); None for the Web Connector's own query of the
    session's first call, which asks with its .qwc's OwnerID."""
    s = store.settings
    node = etree.Element("CompanyRet")
    node.append(element("IsSampleCompany", "false"))
    node.append(element("CompanyName", s.company_name))
    node.append(element("LegalCompanyName", s.company_name))
    asked = owners is None or (s.owner_id or "").upper() in owners
    if s.owner_id and s.file_id and asked:
        # The Web Connector keeps its FileID as private data of its OwnerID in the file:
        # DataExtName "FileID", DataExtType STR255TYPE, the FileID as the value (guide p.36,
        # its CompanyQuery example; confirmed).
        ext = etree.SubElement(node, "DataExtRet")
        ext.append(element("OwnerID", s.owner_id))
        ext.append(element("DataExtName", "FileID"))
        ext.append(element("DataExtType", "STR255TYPE"))
        ext.append(element("DataExtValue", s.file_id))
    return node


def preferences_ret(store: CompanyStore) -> etree._Element:
    s = store.settings
    node = etree.Element("PreferencesRet")
    _group(
        node,
        "AccountingPreferences",
        IsUsingAccountNumbers="false",
        IsRequiringAccounts="true",
        IsUsingClassTracking=_bool(s.class_tracking),
        IsUsingAuditTrail="true",
        IsAssigningJournalEntryNumbers="true",
    )
    _group(
        node,
        "MultiLocationInventoryPreferences",
        IsMultiLocationInventoryAvailable="true",
        IsMultiLocationInventoryEnabled=_bool(s.multi_location_inventory),
    )
    _group(
        node,
        "PurchasesAndVendorsPreferences",
        IsUsingInventory="true",
        DaysBillsAreDue="10",
        IsAutomaticallyUsingDiscounts="false",
    )
    _group(
        node,
        "SalesAndCustomersPreferences",
        IsTrackingReimbursedExpensesAsIncome="false",
        IsAutoApplyingPayments=_bool(s.is_auto_applying_payments),
    )
    _group(
        node,
        "CurrentAppAccessRights",
        IsAutomaticLoginAllowed="true",
        IsPersonalDataAccessAllowed="true",
    )
    return node


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _group(parent: etree._Element, name: str, **children: str) -> None:
    node = etree.SubElement(parent, name)
    for key, value in children.items():
        node.append(element(key, value))
