"""qbXML scalar types: parsing request text and writing response text.

The qbXML schema types its leaves AMTTYPE, PRICETYPE, QUANTYPE, BOOLTYPE, DATETYPE,
DATETIMETYPE... (qbxmltypes130.xsd). Amounts are written with two decimals ("125.00"), as
QuickBooks writes them; quantities without trailing zeros ("2", "2.5").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from harness.fake_qbd.errors import RequestProcessorError

AMOUNT_FIELDS = frozenset(
    [
        "Amount",
        "AmountDue",
        "OpenAmount",
        "AppliedAmount",
        "Balance",
        "BalanceRemaining",
        "CreditLimit",
        "DiscountAmount",
        "OpenBalance",
        "PaymentAmount",
        "SalesTaxTotal",
        "Subtotal",
        "TaxAmount",
        "TotalAmount",
        "TotalBalance",
        "UnusedCredits",
        "UnusedPayment",
        "TotalValue",
        "DepositTotal",
        "ValueDifference",
        "CreditRemaining",
    ]
)
PRICE_FIELDS = frozenset(["Price", "PurchaseCost", "Rate", "SalesPrice", "AverageCost", "Cost"])
QUANTITY_FIELDS = frozenset(
    [
        "Quantity",
        "QuantityOnHand",
        "QuantityOnOrder",
        "QuantityOnSalesOrder",
        "ReorderPoint",
        "Max",
        "NewQuantity",
        "QuantityDifference",
        "QuantityToTransfer",
        "QuantityTransferred",
        "ReceivedQuantity",
        "QuantityOnPurchaseOrders",
        "QuantityOnSalesOrders",
        "Invoiced",
    ]
)
PERCENT_FIELDS = frozenset(
    ["SalesTaxPercentage", "RatePercent", "PricePercent", "TaxRate", "DiscountPct"]
)
BOOL_FIELDS = frozenset(
    [
        "IsActive",
        "IsPaid",
        "IsPending",
        "IsFinanceCharge",
        "IsToBePrinted",
        "IsToBeEmailed",
        "IsTaxIncluded",
        "IsTaxable",
        "IsAutoApply",
        "IncludeLineItems",
        "IncludeLinkedTxns",
        "IsStatementWithParent",
        "ForceUOMChange",
        "IsManuallyClosed",
        "IsFullyReceived",
        "IsFullyInvoiced",
        "IsDefaultSite",
        "DataExtListRequire",
        "DataExtTxnRequire",
    ]
)
DATE_FIELDS = frozenset(
    [
        "TxnDate",
        "DueDate",
        "ShipDate",
        "ServiceDate",
        "FromTxnDate",
        "ToTxnDate",
        "OpenBalanceDate",
        "InventoryDate",
        "JobStartDate",
        "JobProjectedEndDate",
        "JobEndDate",
    ]
)
DATETIME_FIELDS = frozenset(
    ["FromModifiedDate", "ToModifiedDate", "FromDeletedDate", "ToDeletedDate"]
)
INT_FIELDS = frozenset(["MaxReturned", "StdDueDays", "StdDiscountDays"])
#: GUIDTYPE (qbxmltypes130.xsd): "0" or a braced GUID; an OwnerID is not case-sensitive and
#: QuickBooks returns it in upper case (Intuit's DataExtDefQuery reference, OwnerIDList).
GUID_FIELDS = frozenset(["OwnerID"])
_GUID = re.compile(r"^(0|\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\})$")

#: qbxml130.xsd ListDataExtType, TxnDataExtType and OtherDataExtType: the objects a data
#: extension may be attached to (its AssignToObject is exactly their union).
_LIST_DATA_EXT = frozenset(
    [
        "Account",
        "Customer",
        "Employee",
        "Item",
        "OtherName",
        "Vendor",
    ]
)
_TXN_DATA_EXT = frozenset(
    [
        "ARRefundCreditCard",
        "Bill",
        "BillPaymentCheck",
        "BillPaymentCreditCard",
        "BuildAssembly",
        "Charge",
        "Check",
        "CreditCardCharge",
        "CreditCardCredit",
        "CreditMemo",
        "Deposit",
        "Estimate",
        "InventoryAdjustment",
        "Invoice",
        "ItemReceipt",
        "JournalEntry",
        "PurchaseOrder",
        "ReceivePayment",
        "SalesOrder",
        "SalesReceipt",
        "SalesTaxPaymentCheck",
        "VendorCredit",
    ]
)
_OTHER_DATA_EXT = frozenset({"Company"})

#: Enumerations whose wrong value QuickBooks rejects as a parse error (schema enums).
ENUMS: dict[str, frozenset[str]] = {
    "ActiveStatus": frozenset({"ActiveOnly", "InactiveOnly", "All"}),
    "PaidStatus": frozenset({"All", "PaidOnly", "NotPaidOnly"}),
    "MatchCriterion": frozenset({"StartsWith", "Contains", "EndsWith"}),
    "AccountType": frozenset(
        [
            "AccountsPayable",
            "AccountsReceivable",
            "Bank",
            "CostOfGoodsSold",
            "CreditCard",
            "Equity",
            "Expense",
            "FixedAsset",
            "Income",
            "LongTermLiability",
            "NonPosting",
            "OtherAsset",
            "OtherCurrentAsset",
            "OtherCurrentLiability",
            "OtherExpense",
            "OtherIncome",
        ]
    ),
    "PaymentMethodType": frozenset(
        [
            "AmericanExpress",
            "Cash",
            "Check",
            "DebitCard",
            "Discover",
            "ECheck",
            "GiftCard",
            "MasterCard",
            "Other",
            "OtherCreditCard",
            "Visa",
        ]
    ),
    "ListDelType": frozenset(
        [
            "Account",
            "BillingRate",
            "Class",
            "Currency",
            "Customer",
            "CustomerMsg",
            "CustomerType",
            "DateDrivenTerms",
            "Employee",
            "InventorySite",
            "ItemDiscount",
            "ItemFixedAsset",
            "ItemGroup",
            "ItemInventory",
            "ItemInventoryAssembly",
            "ItemNonInventory",
            "ItemOtherCharge",
            "ItemPayment",
            "ItemSalesTax",
            "ItemSalesTaxGroup",
            "ItemService",
            "ItemSubtotal",
            "JobType",
            "OtherName",
            "PaymentMethod",
            "PayrollItemNonWage",
            "PayrollItemWage",
            "PriceLevel",
            "SalesRep",
            "SalesTaxCode",
            "ShipMethod",
            "StandardTerms",
            "ToDo",
            "UnitOfMeasureSet",
            "Vehicle",
            "Vendor",
            "VendorType",
            "WorkersCompCode",
        ]
    ),
    # qbxml130.xsd TxnDelType / TxnVoidType: ReceivePayment is deletable but not voidable.
    "TxnDelType": frozenset(
        [
            "ARRefundCreditCard",
            "Bill",
            "BillPaymentCheck",
            "BillPaymentCreditCard",
            "BuildAssembly",
            "Charge",
            "Check",
            "CreditCardCharge",
            "CreditCardCredit",
            "CreditMemo",
            "Deposit",
            "Estimate",
            "InventoryAdjustment",
            "Invoice",
            "ItemReceipt",
            "JournalEntry",
            "PayrollLiabilityAdjustment",
            "PayrollPriorPayment",
            "PayrollYearToDateAdjustment",
            "PurchaseOrder",
            "ReceivePayment",
            "SalesOrder",
            "SalesReceipt",
            "SalesTaxPaymentCheck",
            "TimeTracking",
            "TransferInventory",
            "VehicleMileage",
            "VendorCredit",
        ]
    ),
    "TxnVoidType": frozenset(
        [
            "ARRefundCreditCard",
            "Bill",
            "BillPaymentCheck",
            "BillPaymentCreditCard",
            "Charge",
            "Check",
            "CreditCardCharge",
            "CreditCardCredit",
            "CreditMemo",
            "Deposit",
            "InventoryAdjustment",
            "Invoice",
            "ItemReceipt",
            "JournalEntry",
            "SalesReceipt",
            "VendorCredit",
        ]
    ),
    # qbxml130.xsd: what a data extension is and what it may be attached to.
    "DataExtType": frozenset(
        [
            "AMTTYPE",
            "DATETIMETYPE",
            "INTTYPE",
            "PERCENTTYPE",
            "PRICETYPE",
            "QUANTYPE",
            "STR1024TYPE",
            "STR255TYPE",
        ]
    ),
    "ListDataExtType": _LIST_DATA_EXT,
    "TxnDataExtType": _TXN_DATA_EXT,
    "OtherDataExtType": _OTHER_DATA_EXT,
    "AssignToObject": _LIST_DATA_EXT | _TXN_DATA_EXT | _OTHER_DATA_EXT,
}

_DECIMAL = re.compile(r"^-?\d*(\.\d*)?$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:T(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})"
    r"(?:([+-])(\d{1,2}):(\d{1,2}))?)?)?)?$"
)
CENT = Decimal("0.01")
#: QuickBooks Desktop's largest amount, as its users report it (confidence: low; the SDK
#: status it answers is not documented: the fake answers its request parse error). Larger
#: numbers (27 digits overflowed Decimal's precision in ``money``) are refused for every
#: numeric field, before the record is stored.
LARGEST_NUMBER = Decimal("9999999999.99")


def parse_leaf(name: str, text: str, local_tz: tzinfo) -> object:
    """Request text -> Python value by the element's qbXML type; bad text is a parse error."""
    text = text.strip()
    try:
        if name in ENUMS:
            if text not in ENUMS[name]:
                raise ValueError(f"{text!r} is not a valid {name}")
            return text
        if name in AMOUNT_FIELDS | PRICE_FIELDS | QUANTITY_FIELDS | PERCENT_FIELDS:
            if not text or not _DECIMAL.match(text) or text in {"-", ".", "-."}:
                raise ValueError(f"{text!r} is not a number")
            number = Decimal(text)
            if abs(number) > LARGEST_NUMBER:  # refused before anything is stored
                raise ValueError(f"{text[:40]!r} is larger than {LARGEST_NUMBER}")
            return number
        if name in BOOL_FIELDS:
            lowered = text.lower()
            if lowered not in {"true", "false", "1", "0"}:
                raise ValueError(f"{text!r} is not a boolean")
            return lowered in {"true", "1"}
        if name in INT_FIELDS:
            return int(text)
        if name in DATE_FIELDS:
            return parse_date(text)
        if name in DATETIME_FIELDS:
            return parse_datetime(text, local_tz)
        if name in GUID_FIELDS:
            if not _GUID.match(text):
                raise ValueError(f"{text!r} is not 0 or a braced GUID")
            return text.upper()
    except (ValueError, InvalidOperation) as exc:
        raise RequestProcessorError.parse_error(f"element {name}: {exc}") from None
    return text


def parse_date(text: str) -> date:
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")
    return date(*(int(g) for g in match.groups()))


def parse_datetime(text: str, local_tz: tzinfo) -> datetime:
    """A DATETIMETYPE: parts may be omitted; no offset means the QuickBooks machine's local
    time (QBWC-FACTS.md, "Modified-since")."""
    match = _DATETIME.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date-time")
    y, mo, d, h, mi, s, sign, oh, om = match.groups()
    tz: tzinfo = local_tz
    if sign:
        offset = timedelta(hours=int(oh), minutes=int(om))
        tz = timezone(offset if sign == "+" else -offset)
    return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tz)


def with_standard_offset(moment: datetime) -> datetime:
    """The same wall-clock time labelled with the zone's standard offset, as QuickBooks writes
    its times all through daylight saving time: "The UTC offset portion of dates returned
    from QuickBooks do not follow DST rules, and always follow the 'Base Offset' for the
    zone" (jsgoupil/quickbooks-sync, QbXmlResponseOptions.TimeZoneBugFix; confirmed by that
    library's workaround, medium confidence). 10:00 EDT is written 10:00:00-05:00."""
    dst = moment.dst()
    offset = moment.utcoffset()
    if not dst or offset is None:
        return moment
    return moment.replace(tzinfo=timezone(offset - dst))


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_value(name: str, value: object) -> str:
    """Python value -> response text, by the element's qbXML type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if value == 0:
            value = abs(value)  # never "-0.00"
        if name in AMOUNT_FIELDS or name in PERCENT_FIELDS:
            return f"{money(value):.2f}"
        if name in PRICE_FIELDS:
            # PRICETYPE keeps up to five decimals; at least two, as QuickBooks writes prices.
            text = f"{value.normalize():f}"
            whole, _, frac = text.partition(".")
            return f"{whole}.{frac.ljust(2, '0')[:5]}"
        text = f"{value.normalize():f}"
        return text
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
