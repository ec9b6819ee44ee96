"""Sales and payments: InvoiceAdd/Mod, SalesReceiptAdd, ReceivePaymentAdd/Mod (and the UI's
void of a payment), the transaction queries, and what an invoice totals and still owes.

The line, tax and numbering helpers here are shared by the other sales forms (banking's
credit memos, sales_forms' estimates and sales orders) and by bills and checks.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from harness.fake_qbd import inventory
from harness.fake_qbd.errors import (
    FeatureNotEnabled,
    InvalidDateRange,
    InvalidFieldValue,
    InvalidReference,
    NoMatch,
    ObjectNotFound,
    QueryNotFullyCompleted,
)
from harness.fake_qbd.lists import in_range
from harness.fake_qbd.models import (
    Application,
    CreditApplied,
    InvoiceLine,
    QueryResult,
    Record,
    Ref,
)
from harness.fake_qbd.store import CompanyStore
from harness.fake_qbd.values import format_value, money

ZERO = Decimal(0)
NEW_LINE = "-1"  # InvoiceLineMod TxnLineID "-1" adds a line (QBWC-FACTS.md)


# --- derived values ----------------------------------------------------------------------


def invoice_subtotal(store: CompanyStore, invoice: Record) -> Decimal:
    return money(sum((line.amount for line in store.lines_of(invoice)), ZERO))


def sales_tax(store: CompanyStore, invoice: Record) -> tuple[Decimal, Decimal]:
    """(SalesTaxPercentage, SalesTaxTotal) of an invoice or credit memo (QBD-16).

    The tax item's rate applies to the lines whose sales tax code is taxable, unless the
    customer's tax code for the transaction is non-taxable.
    """
    tax_item = invoice.fields.get("ItemSalesTaxRef")
    if not isinstance(tax_item, Ref) or invoice.fields.get("_voided"):
        return ZERO, ZERO
    rate = store.amount(store.list_record(tax_item).fields.get("TaxRate", 0))
    customer_code = invoice.fields.get("CustomerSalesTaxCodeRef")
    if isinstance(customer_code, Ref) and not _is_taxable(store, customer_code):
        return rate, ZERO
    taxable = sum(
        (
            line.amount
            for line in store.lines_of(invoice)
            if isinstance(line.fields.get("SalesTaxCodeRef"), Ref)
            and _is_taxable(store, line.fields["SalesTaxCodeRef"])
        ),
        ZERO,
    )
    return rate, money(taxable * rate / 100)


def _is_taxable(store: CompanyStore, code: Ref) -> bool:
    return bool(store.list_record(code).fields.get("IsTaxable", False))


def invoice_total(store: CompanyStore, invoice: Record) -> Decimal:
    return money(invoice_subtotal(store, invoice) + sales_tax(store, invoice)[1])


def applications_to(store: CompanyStore, invoice_id: str) -> list[tuple[Record, Application]]:
    index = store.index("applications", lambda: _applications_by_invoice(store))
    if index is not None:
        return list(index.get(invoice_id, ()))
    return [
        (payment, application)
        for payment in store.records["ReceivePayment"].values()
        for application in payment.fields.get("AppliedToTxn", [])
        if application.txn_id == invoice_id
    ]


def _applications_by_invoice(store: CompanyStore) -> dict[str, list[tuple[Record, Application]]]:
    out: dict[str, list[tuple[Record, Application]]] = {}
    for payment in store.records["ReceivePayment"].values():
        for application in payment.fields.get("AppliedToTxn", []):
            out.setdefault(application.txn_id, []).append((payment, application))
    return out


def of_customer(store: CompanyStore, kind: str, customer: Record) -> list[Record]:
    """The transactions of ``kind`` whose CustomerRef is ``customer``, in creation order."""
    ref = Ref("Customer", customer.id)
    index = store.index(f"by-customer:{kind}", lambda: _by_customer(store, kind))
    if index is not None:
        return index.get(ref, [])
    return [r for r in store.records[kind].values() if r.fields["CustomerRef"] == ref]


def _by_customer(store: CompanyStore, kind: str) -> dict[Any, list[Record]]:
    out: dict[Any, list[Record]] = {}
    for record in store.records[kind].values():
        out.setdefault(record.fields["CustomerRef"], []).append(record)
    return out


def invoice_applied(store: CompanyStore, invoice: Record) -> Decimal:
    """Payments and credits applied to the invoice."""
    return sum((app.settled for _, app in applications_to(store, invoice.id)), ZERO)


def credit_applied(store: CompanyStore, memo_id: str) -> Decimal:
    """What of a credit memo payments have applied to invoices (SetCredit)."""
    return sum(
        (
            credit.amount
            for payment in store.records["ReceivePayment"].values()
            for application in payment.fields.get("AppliedToTxn", [])
            for credit in application.credits
            if credit.credit_txn_id == memo_id
        ),
        ZERO,
    )


def invoice_balance(store: CompanyStore, invoice: Record) -> Decimal:
    return money(invoice_total(store, invoice) - invoice_applied(store, invoice))


def unused_payment(store: CompanyStore, payment: Record) -> Decimal:
    applied = sum((app.amount for app in payment.fields.get("AppliedToTxn", [])), ZERO)
    return money(store.amount(payment.fields.get("TotalAmount")) - applied)


def invoices_less_payments(store: CompanyStore, customer: Record) -> Decimal:
    """Open invoices less unused payments of this customer alone (the customer's Balance
    before credit memos: banking.customer_balance)."""
    owed = sum((invoice_balance(store, i) for i in of_customer(store, "Invoice", customer)), ZERO)
    credit = sum(
        (unused_payment(store, p) for p in of_customer(store, "ReceivePayment", customer)), ZERO
    )
    return money(owed - credit)


# --- Invoice -----------------------------------------------------------------------------


def invoice_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    header = {k: v for k, v in data.items() if k not in ("InvoiceLineAdd", "InvoiceLineGroupAdd")}
    fields = store.resolve_refs(header, "Invoice")
    refuse_line_groups(store, data.get("InvoiceLineGroupAdd"))
    lines = [invoice_line(store, line, None) for line in data.get("InvoiceLineAdd", [])]
    fields["InvoiceLine"] = lines
    default_tax(store, fields)
    fields.setdefault("TxnDate", store.today())
    fields.setdefault("ARAccountRef", special_account(store, "AccountsReceivable"))
    _invoice_form_defaults(store, fields)
    if not fields.get("RefNumber"):
        fields["RefNumber"] = next_ref_number(store, "Invoice")
    _check_stock(store, lines, [])
    return store.new_record("Invoice", fields)


def invoice_mod(store: CompanyStore, data: dict[str, Any]) -> Record:
    invoice = store.get("Invoice", str(data["TxnID"]))
    store.check_edit_sequence(invoice, str(data["EditSequence"]))
    header = {
        k: v
        for k, v in data.items()
        if k not in ("TxnID", "EditSequence", "InvoiceLineMod", "InvoiceLineGroupMod")
    }
    fields = store.working_copy(invoice)
    fields.update(store.resolve_refs(header, "Invoice"))
    refuse_line_groups(store, data.get("InvoiceLineGroupMod"))
    if "InvoiceLineMod" in data:
        # Lines in a Mod replace all lines: existing lines not listed are removed.
        old = {line.txn_line_id: line for line in fields.get("InvoiceLine", [])}
        lines = []
        for line_data in data["InvoiceLineMod"]:
            line_id = str(line_data["TxnLineID"])
            if line_id != NEW_LINE and line_id not in old:
                raise ObjectNotFound(line_id)
            lines.append(invoice_line(store, line_data, old.get(line_id)))
        fields["InvoiceLine"] = lines
        _check_stock(store, lines, invoice.fields.get("InvoiceLine", []))
    draft = Record(invoice.kind, invoice.id, invoice.time_created, invoice.time_modified, 0, fields)
    total = invoice_total(store, draft)
    applied = invoice_applied(store, invoice)
    if total < applied:
        # Unconfirmed: the fake refuses to take an invoice below what is already paid on it.
        raise InvalidFieldValue(
            "Amount",
            format_value("Amount", total),
            "The invoice total is less than the payments applied to it.",
        )
    customer_changed = fields["CustomerRef"] != invoice.fields["CustomerRef"]
    if customer_changed and applied:
        raise InvalidFieldValue(
            "CustomerRef",
            store.ref_full_name(fields["CustomerRef"]),
            "The customer of an invoice with payments applied cannot be changed.",
        )
    invoice.fields = fields
    store.touch(invoice)
    return invoice


# --- SalesReceipt ------------------------------------------------------------------------


def sales_receipt_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    """A sale paid on the spot: lines as on an invoice (stock leaves), the money waits in
    Undeposited Funds unless DepositToAccountRef names an account; no customer balance."""
    header = {
        k: v
        for k, v in data.items()
        if k not in ("SalesReceiptLineAdd", "SalesReceiptLineGroupAdd")
    }
    fields = store.resolve_refs(header, "SalesReceipt")
    refuse_line_groups(store, data.get("SalesReceiptLineGroupAdd"))
    lines = [
        invoice_line(store, line, None, "SalesReceipt line")
        for line in data.get("SalesReceiptLineAdd", [])
    ]
    fields["SalesReceiptLine"] = lines
    if isinstance(fields.get("CustomerRef"), Ref):
        default_tax(store, fields)
    fields.setdefault("TxnDate", store.today())
    fields.setdefault("DepositToAccountRef", special_account(store, "UndepositedFunds"))
    fields.setdefault("TemplateRef", _default_template(store, "SalesReceipt"))
    fields.setdefault("IsPending", False)
    fields.setdefault("DueDate", fields["TxnDate"])
    fields.setdefault("IsToBePrinted", True)
    fields.setdefault("IsToBeEmailed", False)
    if not fields.get("RefNumber"):
        fields["RefNumber"] = next_ref_number(store, "SalesReceipt")
    _check_stock(store, lines, [])
    return store.new_record("SalesReceipt", fields)


def _invoice_form_defaults(store: CompanyStore, fields: dict[str, Any]) -> None:
    """What QuickBooks fills in on an invoice the request leaves out (issue 18: InvoiceRet
    carries these as QuickBooks sends them). The invoice takes the customer's terms when
    it names none (as the QuickBooks form does; unconfirmed for the SDK) and is due
    StdDueDays after its date, on its date without terms; the print and e-mail flags'
    defaults are unconfirmed."""
    fields.setdefault("TemplateRef", _default_template(store, "Invoice"))
    fields.setdefault("IsPending", False)
    customer_terms = store.list_record(fields["CustomerRef"]).fields.get("TermsRef")
    if "TermsRef" not in fields and isinstance(customer_terms, Ref):
        fields["TermsRef"] = customer_terms
    terms = fields.get("TermsRef")
    days = store.list_record(terms).fields.get("StdDueDays", 0) if isinstance(terms, Ref) else 0
    fields.setdefault("DueDate", fields["TxnDate"] + timedelta(days=int(days or 0)))
    fields.setdefault("IsToBePrinted", True)
    fields.setdefault("IsToBeEmailed", False)


def _default_template(store: CompanyStore, template_type: str) -> Ref:
    for template in store.records["Template"].values():
        if template.fields.get("TemplateType") == template_type:
            return Ref("Template", template.id)
    raise ObjectNotFound(template_type)


def default_tax(store: CompanyStore, fields: dict[str, Any]) -> None:
    """A sales form takes the customer's tax item and tax code unless it names its own."""
    customer = store.list_record(fields["CustomerRef"])
    for form_field, customer_field in (
        ("ItemSalesTaxRef", "ItemSalesTaxRef"),
        ("CustomerSalesTaxCodeRef", "SalesTaxCodeRef"),
    ):
        value = customer.fields.get(customer_field)
        if form_field not in fields and isinstance(value, Ref):
            fields[form_field] = value


def refuse_line_groups(store: CompanyStore, groups: Any) -> None:
    if groups:
        # No group items exist in the fake company, so any ItemGroupRef is invalid.
        ref = groups[0].get("ItemGroupRef", {})
        shown = str(ref.get("ListID") or ref.get("FullName") or "")
        raise InvalidReference("Item Group", shown, "Invoice line")


def invoice_line(
    store: CompanyStore, data: dict[str, Any], old: InvoiceLine | None, where: str = "Invoice line"
) -> InvoiceLine:
    changes = store.resolve_refs({k: v for k, v in data.items() if k != "TxnLineID"}, where)
    if "InventorySiteRef" in changes and not store.settings.multi_location_inventory:
        raise FeatureNotEnabled("Advanced Inventory sites")
    fields = dict(old.fields) if old is not None else {}
    fields.update(changes)
    item_ref = fields.get("ItemRef")
    item = store.list_record(item_ref) if isinstance(item_ref, Ref) else None
    if (item is not None and old is None) or (item is not None and "ItemRef" in changes):
        price, desc = _item_price_and_desc(item)
        if "Rate" not in fields and "Amount" not in fields and price is not None:
            fields["Rate"] = price
        if "Desc" not in fields and desc:
            fields["Desc"] = desc
        if "SalesTaxCodeRef" not in fields and isinstance(item.fields.get("SalesTaxCodeRef"), Ref):
            fields["SalesTaxCodeRef"] = item.fields["SalesTaxCodeRef"]
    if "Amount" in changes:
        fields["Amount"] = money(store.amount(changes["Amount"]))
    elif "Rate" in fields:
        quantity = store.amount(fields.get("Quantity", 1))
        fields["Amount"] = money(quantity * store.amount(fields["Rate"]))
    else:
        fields.setdefault("Amount", ZERO)
    line_id = old.txn_line_id if old is not None else store.ids.txn_line_id()
    return InvoiceLine(line_id, fields)


def _check_stock(
    store: CompanyStore, new_lines: list[InvoiceLine], old_lines: list[InvoiceLine]
) -> None:
    if store.settings.allow_negative_inventory:
        return
    wanted: dict[str, Decimal] = {}
    for sign, lines in ((1, new_lines), (-1, old_lines)):
        for line in lines:
            ref = line.fields.get("ItemRef")
            if isinstance(ref, Ref) and store.list_record(ref).kind == "ItemInventory":
                wanted[ref.list_id] = wanted.get(ref.list_id, ZERO) + sign * store.amount(
                    line.fields.get("Quantity", 0)
                )
    for item_id, quantity in wanted.items():
        item = store.get("ItemInventory", item_id)
        if quantity > 0 and inventory.quantity_on_hand(store, item) - quantity < 0:
            raise InvalidFieldValue(
                "Quantity",
                format_value("Quantity", quantity),
                f'There is not enough quantity of "{store.full_name(item)}" on hand.',
            )


def next_ref_number(store: CompanyStore, kind: str) -> str:
    """QuickBooks numbers invoices (and sales receipts, each form its own series) after
    the highest numeric RefNumber so far."""
    highest = 0
    for invoice in store.records[kind].values():
        match = re.fullmatch(r"(\d+)", str(invoice.fields.get("RefNumber", "")))
        if match:
            highest = max(highest, int(match.group(1)))
    return str(highest + 1)


def special_account(store: CompanyStore, special: str) -> Ref:
    for account in store.records["Account"].values():
        if account.fields.get("SpecialAccountType") == special:
            return Ref("Account", account.id)
    raise ObjectNotFound(special)


# --- ReceivePayment ----------------------------------------------------------------------


def receive_payment_add(store: CompanyStore, data: dict[str, Any]) -> Record:
    header = {k: v for k, v in data.items() if k not in ("AppliedToTxnAdd", "IsAutoApply")}
    fields = store.resolve_refs(header, "ReceivePayment")
    fields["TotalAmount"] = money(store.amount(fields.get("TotalAmount", 0)))
    fields.setdefault("TxnDate", store.today())
    fields.setdefault("ARAccountRef", special_account(store, "AccountsReceivable"))
    # No DepositToAccountRef: the payment waits in Undeposited Funds (QBD-13).
    fields.setdefault("DepositToAccountRef", special_account(store, "UndepositedFunds"))
    customer = fields["CustomerRef"]
    if "AppliedToTxnAdd" in data:
        applications = _applications(store, data["AppliedToTxnAdd"], customer, None)
    elif data.get("IsAutoApply"):
        applications = _auto_apply(store, customer, fields["TotalAmount"])
    else:
        applications = []
    _check_applied_total(store, applications, fields["TotalAmount"])
    fields["AppliedToTxn"] = applications
    payment = store.new_record("ReceivePayment", fields)
    touch_invoices(store, applications)
    return payment


def receive_payment_mod(store: CompanyStore, data: dict[str, Any]) -> Record:
    payment = store.get("ReceivePayment", str(data["TxnID"]))
    store.check_edit_sequence(payment, str(data["EditSequence"]))
    header = {
        k: v for k, v in data.items() if k not in ("TxnID", "EditSequence", "AppliedToTxnMod")
    }
    fields = store.working_copy(payment)
    fields.update(store.resolve_refs(header, "ReceivePayment"))
    fields["TotalAmount"] = money(store.amount(fields.get("TotalAmount", 0)))
    before = list(payment.fields.get("AppliedToTxn", []))
    if "AppliedToTxnMod" in data:
        # Unconfirmed: the listed applications replace the old ones, like Mod lines do.
        applications = _applications(store, data["AppliedToTxnMod"], fields["CustomerRef"], payment)
    else:
        applications = before
        if fields["CustomerRef"] != payment.fields["CustomerRef"] and applications:
            raise InvalidFieldValue(
                "CustomerRef",
                store.ref_full_name(fields["CustomerRef"]),
                "The payment is applied to another customer's invoices.",
            )
    _check_applied_total(store, applications, fields["TotalAmount"])
    fields["AppliedToTxn"] = applications
    payment.fields = fields
    store.touch(payment)
    touch_invoices(store, [*before, *applications])
    return payment


def _customers_own(
    store: CompanyStore, txn_type: str, txn_id: str, customer: Ref, field: str, what: str
) -> Record:
    """The ``txn_type`` a payment entry names in ``field``, which must be its customer's:
    3120 when there is none, 3210 when it is another customer's."""
    record = store.records[txn_type].get(txn_id)
    if record is None:
        raise ObjectNotFound(txn_id)
    if record.fields["CustomerRef"] != customer:
        raise InvalidFieldValue(
            field, txn_id, f"The {what} does not belong to the payment's customer."
        )
    return record


def _applications(
    store: CompanyStore, entries: list[dict[str, Any]], customer: Ref, payment: Record | None
) -> list[Application]:
    applications: list[Application] = []
    for entry in entries:
        txn_id = str(entry["TxnID"])
        invoice = _customers_own(store, "Invoice", txn_id, customer, "TxnID", "transaction")
        already = sum((a.settled for a in applications if a.txn_id == txn_id), ZERO)
        own = ZERO
        if payment is not None:
            own = sum(
                # The Mod replaces the payment's applications, its credits with them.
                (a.settled for a in payment.fields.get("AppliedToTxn", []) if a.txn_id == txn_id),
                ZERO,
            )
        open_balance = invoice_balance(store, invoice) + own - already
        credits = _credits(store, entry.get("SetCredit", []), customer, applications)
        credited = sum((c.amount for c in credits), ZERO)
        if credited > open_balance:
            raise _over_settled(credited)
        amount = (
            money(store.amount(entry["PaymentAmount"]))
            if "PaymentAmount" in entry
            else open_balance - credited
        )
        # QuickBooks names the field "AppliedToTxnAdd payment amount" (issue 18, from
        # real captures; the Mod's name is by analogy, unconfirmed).
        field = f"{'AppliedToTxnAdd' if payment is None else 'AppliedToTxnMod'} payment amount"
        if amount < 0:
            raise InvalidFieldValue(
                field, format_value("Amount", amount), "The amount cannot be negative."
            )
        if amount > open_balance:
            raise InvalidFieldValue(
                field,
                format_value("Amount", amount),
                "You cannot pay more than the amount due.",
            )
        if amount + credited > open_balance:
            raise _over_settled(credited)
        applications.append(Application(txn_id, amount, credits))
    return applications


def _over_settled(credited: Decimal) -> InvalidFieldValue:
    # Unconfirmed (no public capture found): the payment and the credits together may not
    # settle more than the invoice's open balance.
    return InvalidFieldValue(
        "SetCredit AppliedAmount",
        format_value("Amount", credited),
        "The credits and payment applied exceed the amount due.",
    )


def _credits(
    store: CompanyStore,
    entries: list[dict[str, Any]],
    customer: Ref,
    earlier: list[Application],
) -> list[CreditApplied]:
    """SetCredit: credit memos of the payment's customer applied to one invoice, each at
    most the credit it has left (less what earlier entries of the request take of it).
    The refusals' codes and texts are unconfirmed (no public capture found): 3120 for a
    missing credit memo as for any missing TxnID, 3210 otherwise."""
    credits: list[CreditApplied] = []
    for entry in entries:
        credit_id = str(entry["CreditTxnID"])
        memo = _customers_own(store, "CreditMemo", credit_id, customer, "CreditTxnID", "credit")
        amount = money(store.amount(entry["AppliedAmount"]))
        taken = sum(
            (
                c.amount
                for c in [*(c for a in earlier for c in a.credits), *credits]
                if c.credit_txn_id == credit_id
            ),
            ZERO,
        )
        left = credit_memo_total(store, memo) - credit_applied(store, credit_id) - taken
        if amount <= 0 or amount > left:
            raise InvalidFieldValue(
                "SetCredit AppliedAmount",
                format_value("Amount", amount),
                "The amount is more than the credit remaining."
                if amount > 0
                else "The amount must be more than zero.",
            )
        credits.append(CreditApplied(credit_id, amount))
    return credits


def credit_memo_total(store: CompanyStore, memo: Record) -> Decimal:
    return ZERO if memo.fields.get("_voided") else invoice_total(store, memo)


def _auto_apply(store: CompanyStore, customer: Ref, total: Decimal) -> list[Application]:
    """IsAutoApply: first the invoice whose open balance equals the payment, then the
    oldest open invoices, by TxnDate then creation (issue 18's probes of real QuickBooks;
    no public capture found, medium confidence)."""
    remaining = total
    applications = []
    owner = store.list_record(customer)
    invoices = [i for i in of_customer(store, "Invoice", owner) if invoice_balance(store, i) > 0]
    invoices.sort(key=lambda i: (i.fields.get("TxnDate") or date.min, i.time_created))
    exact = next((i for i in invoices if invoice_balance(store, i) == total), None)
    if exact is not None:
        invoices.remove(exact)
        invoices.insert(0, exact)
    for invoice in invoices:
        if remaining <= 0:
            break
        amount = min(invoice_balance(store, invoice), remaining)
        applications.append(Application(invoice.id, amount))
        remaining -= amount
    return applications


def _check_applied_total(
    store: CompanyStore, applications: list[Application], total: Decimal
) -> None:
    applied = sum((a.amount for a in applications), ZERO)
    if applied > total:
        raise InvalidFieldValue(
            "TotalAmount",
            format_value("TotalAmount", total),
            "The amount applied to transactions exceeds the payment amount.",
        )


def touch_invoices(store: CompanyStore, applications: list[Application]) -> None:
    if not store.settings.payment_touches_invoice:
        return
    for txn_id in dict.fromkeys(a.txn_id for a in applications):
        invoice = store.records["Invoice"].get(txn_id)
        if invoice is not None:
            store.touch(invoice)


# --- voiding a payment (UI only) ---------------------------------------------------------


def void_payment(store: CompanyStore, txn_id: str) -> Record:
    """The UI's Void on a received payment (the SDK's TxnVoid refuses ReceivePayment)."""
    payment = store.get("ReceivePayment", txn_id)
    before = list(payment.fields.get("AppliedToTxn", []))
    fields = store.working_copy(payment)
    fields["TotalAmount"] = ZERO
    fields["AppliedToTxn"] = []
    fields["Memo"] = void_memo(fields.get("Memo"))
    fields["_voided"] = True
    payment.fields = fields
    store.touch(payment)
    touch_invoices(store, before)
    return payment


def unapply_invoice(store: CompanyStore, invoice: Record) -> None:
    """Payments applied to a removed invoice keep their money as unused credit."""
    for payment, _ in applications_to(store, invoice.id):
        payment.fields["AppliedToTxn"] = [
            a for a in payment.fields.get("AppliedToTxn", []) if a.txn_id != invoice.id
        ]
        store.touch(payment)


def unapply_credit(store: CompanyStore, memo: Record) -> None:
    """A removed or voided credit memo leaves the invoices it was applied to owing again
    (unconfirmed: QuickBooks' UI warns that the credit's links go; no SDK capture found)."""
    for payment in store.records["ReceivePayment"].values():
        applications = payment.fields.get("AppliedToTxn", [])
        if not any(c.credit_txn_id == memo.id for a in applications for c in a.credits):
            continue
        payment.fields["AppliedToTxn"] = [
            Application(a.txn_id, a.amount, [c for c in a.credits if c.credit_txn_id != memo.id])
            for a in applications
        ]
        store.touch(payment)
        touch_invoices(store, applications)


# --- Query -------------------------------------------------------------------------------


def txn_query(store: CompanyStore, kind: str, query: dict[str, Any]) -> QueryResult:
    dates = query.get("TxnDateRangeFilter") or {}
    low, high = dates.get("FromTxnDate"), dates.get("ToTxnDate")
    if low and high and low > high:
        raise InvalidDateRange()
    pool = list(store.records[kind].values())
    wanted_ids = query.get("TxnID") or []
    wanted_refs = query.get("RefNumber") or []
    wanted_exact = query.get("RefNumberCaseSensitive") or []
    if wanted_ids or wanted_refs or wanted_exact:
        found: list[Record] = []
        missing: list[str] = []
        for txn_id in wanted_ids:
            match = store.records[kind].get(txn_id)
            (found.append(match) if match else missing.append(txn_id))
        for ref in wanted_refs:
            matches = [
                r for r in pool if str(r.fields.get("RefNumber", "")).casefold() == ref.casefold()
            ]
            found.extend(matches) if matches else missing.append(ref)
        for ref in wanted_exact:
            matches = [r for r in pool if r.fields.get("RefNumber") == ref]
            found.extend(matches) if matches else missing.append(ref)
        if not found:
            raise QueryNotFullyCompleted(missing[0])
        return QueryResult(found, QueryNotFullyCompleted(missing[0]) if missing else None)
    records = [r for r in pool if _matches_txn_filter(store, r, query)]
    if "MaxReturned" in query:
        records = records[: max(int(query["MaxReturned"]), 0)]
    if not records:
        raise NoMatch()
    return QueryResult(records)


def _matches_txn_filter(store: CompanyStore, record: Record, query: dict[str, Any]) -> bool:
    modified = query.get("ModifiedDateRangeFilter") or {}
    if not in_range(
        record.time_modified, modified.get("FromModifiedDate"), modified.get("ToModifiedDate")
    ):
        return False
    dates = query.get("TxnDateRangeFilter") or {}
    txn_date = record.fields.get("TxnDate")
    if dates.get("FromTxnDate") and txn_date < dates["FromTxnDate"]:
        return False
    if dates.get("ToTxnDate") and txn_date > dates["ToTxnDate"]:
        return False
    entity = query.get("EntityFilter")
    if entity:
        who = record.fields.get("CustomerRef") or record.fields.get("VendorRef")
        if not isinstance(who, Ref) or not _matches_entity(store, who, entity):
            return False
    ref_filter = query.get("RefNumberFilter")
    if ref_filter:
        ref = str(record.fields.get("RefNumber", "")).casefold()
        wanted = str(ref_filter["RefNumber"]).casefold()
        criterion = ref_filter["MatchCriterion"]
        if (
            (criterion == "StartsWith" and not ref.startswith(wanted))
            or (criterion == "Contains" and wanted not in ref)
            or (criterion == "EndsWith" and not ref.endswith(wanted))
        ):
            return False
    ref_range = query.get("RefNumberRangeFilter")
    if ref_range:
        ref = str(record.fields.get("RefNumber", ""))
        if "FromRefNumber" in ref_range and ref < str(ref_range["FromRefNumber"]):
            return False
        if "ToRefNumber" in ref_range and ref > str(ref_range["ToRefNumber"]):
            return False
    paid = query.get("PaidStatus", "All")
    if record.kind == "Invoice" and paid != "All":
        is_paid = invoice_balance(store, record) <= 0
        if (paid == "PaidOnly") != is_paid:
            return False
    return True


def _matches_entity(store: CompanyStore, who: Ref, entity: dict[str, Any]) -> bool:
    record = store.list_record(who)
    full_name = store.full_name(record).casefold()
    if record.id in (entity.get("ListID") or []):
        return True
    if full_name in {n.casefold() for n in entity.get("FullName") or []}:
        return True
    parent_id = entity.get("ListIDWithChildren")
    if parent_id:
        parent = store.find_by_id("Customer", str(parent_id))
        if parent is not None and _is_under(full_name, store.full_name(parent).casefold()):
            return True
    parent_name = entity.get("FullNameWithChildren")
    return bool(parent_name) and _is_under(full_name, str(parent_name).casefold())


def _is_under(full_name: str, parent: str) -> bool:
    return full_name == parent or full_name.startswith(parent + ":")


def void_memo(memo: Any) -> str:
    return f"VOID: {memo}" if memo else "VOID:"


def _item_price_and_desc(item: Record) -> tuple[Decimal | None, str | None]:
    if item.kind == "ItemInventory":
        price = item.fields.get("SalesPrice")
        return price, item.fields.get("SalesDesc")
    for aggregate, price_key, desc_key in (
        ("SalesOrPurchase", "Price", "Desc"),
        ("SalesAndPurchase", "SalesPrice", "SalesDesc"),
    ):
        values = item.fields.get(aggregate)
        if isinstance(values, dict):
            return values.get(price_key), values.get(desc_key)
    return None, None
