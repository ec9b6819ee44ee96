"""What every new company file has before anyone enters anything: the default accounts,
sales tax codes, standard terms and form templates (and, with Advanced Inventory on, the
default site)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from harness.fake_qbd.store import CompanyStore

#: Accounts every new company file has (Name, AccountType, SpecialAccountType).
DEFAULT_ACCOUNTS = (
    ("Accounts Receivable", "AccountsReceivable", "AccountsReceivable"),
    ("Undeposited Funds", "OtherCurrentAsset", "UndepositedFunds"),
    ("Checking", "Bank", None),
    ("Inventory Asset", "OtherCurrentAsset", "InventoryAssets"),
    ("Sales", "Income", None),
    ("Cost of Goods Sold", "CostOfGoodsSold", "CostOfGoodsSold"),
    ("Accounts Payable", "AccountsPayable", "AccountsPayable"),
)
#: Form templates of a new US company file (their names are unconfirmed).
DEFAULT_TEMPLATES = (
    ("Intuit Product Invoice", "Invoice"),
    ("Custom Sales Receipt", "SalesReceipt"),
)
#: The standard terms of a new US company file: (Name, StdDueDays, StdDiscountDays,
#: DiscountPct). Low confidence: these names are the ones QuickBooks Desktop's own sample
#: files and how-to guides show ("1% 10 Net 30": quick-training.info; "2% 10 Net 30":
#: itstillworks.com), but no capture of a brand-new file's TermsQuery was found, and the
#: "Consignment" term of the sample files is left out (its days are unknown).
DEFAULT_TERMS = (
    ("1% 10 Net 30", 30, 10, "1.00"),
    ("2% 10 Net 30", 30, 10, "2.00"),
    ("Due on receipt", 0, None, None),
    ("Net 15", 15, None, None),
    ("Net 30", 30, None, None),
    ("Net 60", 60, None, None),
)
#: Sales tax codes of a new US company file (QBWC-FACTS.md).
DEFAULT_SALES_TAX_CODES = (("Tax", True, "Taxable Sales"), ("Non", False, "Non-Taxable Sales"))


def create_defaults(store: CompanyStore) -> None:
    """Fill a fresh store with what a new company file has."""
    for name, account_type, special in DEFAULT_ACCOUNTS:
        fields: dict[str, Any] = {"Name": name, "AccountType": account_type}
        if special:
            fields["SpecialAccountType"] = special
        store.new_record("Account", fields)
    for name, taxable, desc in DEFAULT_SALES_TAX_CODES:
        store.new_record("SalesTaxCode", {"Name": name, "IsTaxable": taxable, "Desc": desc})
    for name, due, discount_days, percent in DEFAULT_TERMS:
        terms: dict[str, Any] = {"Name": name, "StdDueDays": due}
        if discount_days is not None:
            terms.update(StdDiscountDays=discount_days, DiscountPct=Decimal(str(percent)))
        store.new_record("StandardTerms", terms)
    # The form templates every new file has; InvoiceRet and SalesReceiptRet name them.
    for name, template_type in DEFAULT_TEMPLATES:
        store.new_record("Template", {"Name": name, "TemplateType": template_type})
    if store.settings.multi_location_inventory:
        # With Advanced Inventory on, stock without a site is at the default site.
        store.new_record(
            "InventorySite", {"Name": store.settings.default_site_name, "IsDefaultSite": True}
        )
