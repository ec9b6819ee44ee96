"""The wire format of the HTTP API as pydantic models.

Requests are validated against these before the backend sees them (unknown fields are
refused); responses are rendered through them, and the OpenAPI description is generated
from their JSON schemas, so the documented and the served shapes cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

Money = Annotated[
    str,
    Field(
        pattern=r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$",
        examples=["125.00"],
        description="A decimal string with at most two decimals",
    ),
]
Quantity = Annotated[str, Field(pattern=r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$", examples=["2", "1.5"])]
SyncStatus = Literal["not_synced", "synced", "failed", "skipped"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: In a PATCH, the fields that null clears; null on any other field is refused.
    CLEARABLE: ClassVar[frozenset[str]] = frozenset()


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors ------------------------------------------------------------------------------


class ErrorDetail(Out):
    code: str
    message: str


class ErrorBody(Out):
    error: ErrorDetail


# --- sync --------------------------------------------------------------------------------


class SyncIn(Strict):
    """Set a record's sync status. Omit external_id to keep it; send null to clear it."""

    status: SyncStatus
    error: str | None = None
    external_id: str | None = None


class SyncHistoryEntry(Out):
    at: str
    status: SyncStatus
    error: str | None
    external_id: str | None
    by: str
    requested: str | None = None


class SyncOut(Out):
    status: SyncStatus
    error: str | None
    external_id: str | None
    requested: Literal["sync", "unsync"] | None = Field(
        description="A person's pending 'sync now' or 'unsync' request, for the connector"
    )
    history: list[SyncHistoryEntry]


class RecordOut(Out):
    id: str
    created_at: str
    updated_at: str


# --- customers ---------------------------------------------------------------------------


class CustomerCreate(Strict):
    name: str
    email: str | None = None
    phone: str | None = None
    archived: bool = False
    sync: SyncIn | None = None


class CustomerPatch(Strict):
    CLEARABLE = frozenset({"email", "phone"})
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    archived: bool | None = None


class CustomerOut(RecordOut):
    name: str
    email: str | None
    phone: str | None
    archived: bool
    sync: SyncOut


# --- payment modes -----------------------------------------------------------------------


class PaymentModeCreate(Strict):
    name: str


class PaymentModeOut(RecordOut):
    name: str


# --- invoices ----------------------------------------------------------------------------


class InvoiceLineIn(Strict):
    product_id: str | None = None
    description: str | None = Field(None, description="Defaults to the product's name")
    quantity: Quantity = "1"
    rate: Money | None = Field(None, description="Defaults to the product's price")
    amount: Money | None = Field(None, description="If given, must equal quantity x rate")
    taxable: bool | None = Field(None, description="Defaults to the product's taxable flag")
    location_id: str | None = Field(
        None, description="Where a tracked product is consumed; defaults to the designated one"
    )


class InvoiceLineOut(Out):
    product_id: str | None
    description: str
    quantity: Quantity
    rate: Money
    amount: Money
    taxable: bool
    location_id: str | None


class InvoiceCreate(Strict):
    customer_id: str
    lines: list[InvoiceLineIn] = []
    number: str | None = Field(None, description="Unique; assigned from 1001 up if omitted")
    date: dt.date | None = None
    due_date: dt.date | None = Field(None, description="Defaults to date + 30 days")
    draft: bool = False
    sync: SyncIn | None = None


class InvoicePatch(Strict):
    number: str | None = None
    customer_id: str | None = None
    lines: list[InvoiceLineIn] | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    draft: bool | None = None
    status: Literal["void"] | None = Field(None, description="Only voiding can be asked for")


class InvoicePaymentOut(Out):
    payment_id: str | None = None
    store_credit_id: str | None = None
    amount: Money
    mode: str
    date: str
    reference: str | None
    status: str
    origin: str


class InvoiceOut(RecordOut):
    number: str
    customer_id: str
    date: str
    due_date: str
    lines: list[InvoiceLineOut]
    total: Money
    balance: Money
    status: Literal["draft", "open", "partially_paid", "paid", "void"]
    payments: list[InvoicePaymentOut]
    sync: SyncOut


# --- payments ----------------------------------------------------------------------------


class ApplicationIn(Strict):
    invoice_id: str
    amount: Money


class ApplicationOut(Out):
    invoice_id: str
    amount: Money


class PaymentCreate(Strict):
    amount: Money
    mode: str = Field(description="Must name an existing payment mode")
    applications: list[ApplicationIn] = []
    date: dt.date | None = None
    reference: str | None = None
    customer_id: str | None = Field(None, description="Required when applied to no invoice")
    origin: Literal["app", "qbd"] = "app"
    sync_to_qbd: bool | None = Field(
        None, description="Per-payment override of the sync_manual_payments setting"
    )
    sync: SyncIn | None = None


class PaymentPatch(Strict):
    CLEARABLE = frozenset({"reference"})
    amount: Money | None = None
    mode: str | None = None
    date: dt.date | None = None
    reference: str | None = None
    applications: list[ApplicationIn] | None = None
    sync_to_qbd: bool | None = None


class StatusReason(Strict):
    reason: str | None = None


class PaymentHistoryEntry(Out):
    at: str
    event: str
    reason: str | None = None
    changes: dict[str, Any]


class PaymentOut(RecordOut):
    amount: Money
    mode: str
    date: str
    reference: str | None
    customer_id: str | None
    applications: list[ApplicationOut]
    unapplied: Money
    status: Literal["active", "voided", "failed", "deleted"]
    status_reason: str | None
    origin: Literal["app", "qbd"]
    sync_to_qbd: bool
    history: list[PaymentHistoryEntry]
    sync: SyncOut


# --- change feed -------------------------------------------------------------------------


class ChangeOut(Out):
    model_config = ConfigDict(extra="allow")

    seq: int
    entity: str
    id: str
    op: Literal["create", "update", "delete"]
    origin: Literal["app", "connector"]
    at: str
    external_id: str | None = None


class ChangesOut(Out):
    changes: list[ChangeOut]
    cursor: str
    has_more: bool


# --- settings ----------------------------------------------------------------------------


class SettingsOut(Out):
    allow_negative_stock: bool
    consumption_module: Literal["Invoice", "Job", "Quotation", "None"]
    sync_manual_payments: bool
    deposit_account: str | None
    payments_account: str | None
    default_location_id: str | None
    default_category_id: str | None


class SettingsPatch(Strict):
    CLEARABLE = frozenset(
        {"deposit_account", "payments_account", "default_location_id", "default_category_id"}
    )
    allow_negative_stock: bool | None = None
    consumption_module: Literal["Invoice", "Job", "Quotation", "None"] | None = None
    sync_manual_payments: bool | None = None
    deposit_account: str | None = None
    payments_account: str | None = None
    default_location_id: str | None = None
    default_category_id: str | None = None


# --- inventory ---------------------------------------------------------------------------


class NamedCreate(Strict):
    name: str


class NamedOut(RecordOut):
    name: str


class ProductCreate(Strict):
    name: str
    kind: Literal["product", "part", "service"] = "product"
    track_inventory: bool | None = Field(None, description="Defaults to true except services")
    taxable: bool = False
    price: Money = "0.00"
    min_quantity: Quantity = "0"
    category_id: str | None = None
    description: str | None = None
    archived: bool = False
    sync: SyncIn | None = None


class ProductPatch(Strict):
    CLEARABLE = frozenset({"category_id", "description"})
    name: str | None = None
    kind: Literal["product", "part", "service"] | None = None
    track_inventory: bool | None = None
    taxable: bool | None = None
    price: Money | None = None
    min_quantity: Quantity | None = None
    category_id: str | None = None
    description: str | None = None
    archived: bool | None = None


class StockOut(Out):
    location_id: str
    quantity: Quantity


class ProductOut(RecordOut):
    name: str
    kind: Literal["product", "part", "service"]
    track_inventory: bool
    taxable: bool
    price: Money
    min_quantity: Quantity
    category_id: str | None
    description: str | None
    archived: bool
    quantity: Quantity
    stock: list[StockOut]
    sync: SyncOut


class AdjustmentIn(Strict):
    location_id: str | None = Field(None, description="Defaults to the designated location")
    new_quantity: Quantity | None = None
    quantity_difference: Quantity | None = None
    reason: str | None = None


class TransferIn(Strict):
    from_location_id: str
    to_location_id: str
    quantity: Quantity
    reason: str | None = None


class MovementOut(RecordOut):
    product_id: str
    location_id: str
    quantity: Quantity
    kind: str
    reason: str | None
    invoice_id: str | None


class StoreCreditCreate(Strict):
    customer_id: str
    amount: Money
    reason: str | None = None
    applications: list[ApplicationIn] = []
    sync: SyncIn | None = None


class StoreCreditOut(RecordOut):
    customer_id: str
    amount: Money
    reason: str | None
    applications: list[ApplicationOut]
    remaining: Money
    status: str
    sync: SyncOut


class SyncIssueIn(Strict):
    """A record the connector holds back, reported where a person sees it."""

    entity: str = Field(min_length=1, max_length=40, description="customer, payment, ...")
    side: Literal["qbd", "app"] = Field(description="qbd: the record exists only in QuickBooks")
    reference: str | None = Field(None, max_length=200)
    error: str = Field(min_length=1, max_length=2000)


class SyncIssueOut(Out):
    key: str
    entity: str
    side: str
    reference: str | None
    error: str
    first_seen: str
    last_seen: str
