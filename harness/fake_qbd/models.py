"""The records the company holds: plain objects with qbXML field names.

A ``Record`` is one list element or one transaction. ``fields`` holds what a request set,
by qbXML element name; references are stored as ``Ref`` (kind and ListID) so a renamed
customer shows its new FullName everywhere, as in QuickBooks. Computed values (FullName,
Sublevel, balances, quantities) are not stored: the backend derives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.fake_qbd.errors import QBStatusError

#: The lists that share one name space and one ListID counter. QuickBooks keeps all items in
#: one Item list: a service and an inventory part may not share a name.
LIST_OF_KIND = {
    "Account": "Account",
    "Customer": "Customer",
    "ItemService": "Item",
    "ItemNonInventory": "Item",
    "ItemInventory": "Item",
    "ItemSalesTax": "Item",
    "PaymentMethod": "PaymentMethod",
    "SalesTaxCode": "SalesTaxCode",
    "Vendor": "Vendor",
    "InventorySite": "InventorySite",
    "Template": "Template",
    "Class": "Class",
    "Employee": "Employee",
    "StandardTerms": "Terms",
}
#: The name lists that share one name space: a vendor may not take a customer's name, nor
#: the reverse (3100; QuickBooks keeps them in one name list; QuickBooks Online says so in
#: its own text, "Another customer, vendor or employee is already using this name",
#: intuit/QuickBooks-V3-PHP-SDK issue 241). OtherName joins when it is modeled.
SHARED_NAME_SPACE = ("Customer", "Vendor", "Employee", "OtherName")
#: Lists whose elements may have a parent (FullName "Parent:Child").
HIERARCHICAL = frozenset({"Account", "Customer", "Item", "Class"})
#: The item types of the Item list the fake models (ItemQuery answers them all).
ITEM_KINDS = ("ItemService", "ItemNonInventory", "ItemInventory", "ItemSalesTax")
#: How QuickBooks names a list in an invalid-reference message (status 3140).
LIST_TITLES = {
    "Account": "Account",
    "Customer": "Customer",
    "Item": "Item",
    "PaymentMethod": "Payment Method",
    "SalesTaxCode": "Sales Tax Code",
    "Vendor": "Vendor",
    "InventorySite": "Inventory Site",
    "Template": "Template",
    "Class": "Class",
    "Employee": "Employee",
    "Terms": "Terms",
}


@dataclass(frozen=True)
class Ref:
    """A reference to a list element: the list and the ListID."""

    list_name: str
    list_id: str


@dataclass
class Record:
    kind: str  # qbXML object name: Customer, ItemInventory, Invoice, ReceivePayment ...
    id: str  # ListID or TxnID
    time_created: datetime
    time_modified: datetime
    edit_sequence: int
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_OF_KIND

    @property
    def name(self) -> str:
        return str(self.fields.get("Name", ""))

    @property
    def is_active(self) -> bool:
        return bool(self.fields.get("IsActive", True))


@dataclass
class TxnLine:
    """One line of a transaction (InvoiceLine, ItemLine, DepositLine ...)."""

    txn_line_id: str
    fields: dict[str, Any]  # ItemRef, Desc, Quantity, Rate, Amount, SalesTaxCodeRef ...

    @property
    def amount(self) -> Decimal:
        return Decimal(self.fields.get("Amount", Decimal(0)))


InvoiceLine = TxnLine


@dataclass
class CreditApplied:
    """Credit of a credit memo applied to an invoice within a payment (SetCredit)."""

    credit_txn_id: str
    amount: Decimal


@dataclass
class Application:
    """A received payment applied to one invoice (AppliedToTxn): ``amount`` of the payment
    and the ``credits`` of credit memos applied with it."""

    txn_id: str
    amount: Decimal
    credits: list[CreditApplied] = field(default_factory=list)

    @property
    def settled(self) -> Decimal:
        """What the invoice's balance goes down by: the payment's share and the credits."""
        return self.amount + sum((c.amount for c in self.credits), Decimal(0))


@dataclass
class Deletion:
    kind: str  # TxnDelType / ListDelType
    id: str
    time_created: datetime
    time_deleted: datetime
    ref_number_or_name: str | None


@dataclass
class QueryResult:
    """What a list or transaction query found, in the order the response lists it."""

    records: list[Record]
    #: A non-fatal status for the response (500: some asked-for IDs were not found).
    warning: QBStatusError | None = None


def as_date(value: Any) -> date | None:
    return value if isinstance(value, date) else None
