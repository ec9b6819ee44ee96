"""What a person does in the QuickBooks UI, by name rather than ID.

Every action goes through the same backend methods as qbXML requests, so a person's change
looks to a connector exactly like any other change (new EditSequence, TimeModified). Each
returns the record as ``snapshot()`` shows it. Mistakes (an unknown name) raise the same
``QBStatusError`` a qbXML request would get.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from harness.fake_qbd.bulk import BulkDataSource
from harness.fake_qbd.errors import InvalidReference, ObjectNotFound
from harness.fake_qbd.models import LIST_OF_KIND, Record

if TYPE_CHECKING:
    from harness.fake_qbd.company import QBDCompany

ITEM_KINDS = {
    "service": "ItemService",
    "non_inventory": "ItemNonInventory",
    "inventory": "ItemInventory",
}
#: Operator list names -> qbXML object names.
LIST_KINDS = {
    "customer": "Customer",
    "account": "Account",
    "payment_method": "PaymentMethod",
    "sales_tax_code": "SalesTaxCode",
    **ITEM_KINDS,
}

#: The lists whose records take custom fields (Intuit: customers, vendors, employees and
#: items), by the names a scenario uses.
CUSTOM_FIELD_LISTS = {
    "customer": "Customer",
    "vendor": "Vendor",
    "employee": "Employee",
    "item": "Item",
}

#: Customer fields a person edits in the Edit Customer window -> their qbXML elements.
CUSTOMER_FIELDS = {
    "company_name": "CompanyName",
    "first_name": "FirstName",
    "last_name": "LastName",
    "phone": "Phone",
    "alt_phone": "AltPhone",
    "fax": "Fax",
    "email": "Email",
    "contact": "Contact",
    "notes": "Notes",
}
#: Keys of an address as a person fills it in -> the elements of BillAddress / ShipAddress.
ADDRESS_KEYS = {"city": "City", "state": "State", "postal_code": "PostalCode", "country": "Country"}
ADDRESS_LINES = 5


def _address(address: dict[str, Any]) -> dict[str, Any]:
    """An address as QuickBooks keeps it: up to five ``lines`` (Addr1..Addr5), city, state,
    postal code, country (qbXML 13.0 BillAddress)."""
    unknown = set(address) - {"lines", *ADDRESS_KEYS}
    if unknown:
        raise ValueError(f"unknown address keys: {', '.join(sorted(unknown))}")
    lines = address.get("lines") or []
    if not isinstance(lines, list) or len(lines) > ADDRESS_LINES:
        raise ValueError(f"address lines: a list of at most {ADDRESS_LINES} lines")
    out: dict[str, Any] = {f"Addr{n}": str(line) for n, line in enumerate(lines, start=1)}
    out.update({ADDRESS_KEYS[k]: str(v) for k, v in address.items() if k in ADDRESS_KEYS})
    return out


def _ref(name: str) -> dict[str, str]:
    return {"FullName": name}


def _money(value: Any) -> Decimal:
    return Decimal(str(value))


class Operator:
    def __init__(self, company: QBDCompany, bulk_data: BulkDataSource | None = None) -> None:
        self._company = company
        self._bulk_data = bulk_data

    def _show(self, record: Record) -> dict[str, Any]:
        return self._company.record_snapshot(record)

    # --- lists -------------------------------------------------------------------------------

    def add_customer(self, name: str, parent: str | None = None, **fields: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"Name": name}
        if parent:
            data["ParentRef"] = _ref(parent)
        data.update(fields)
        return self._show(self._company.customer_add(data))

    def add_item(
        self,
        kind: str,
        name: str,
        price: Any = None,
        taxable: bool | None = None,
        quantity_on_hand: Any = None,
        description: str | None = None,
    ) -> dict[str, Any]:
        if kind not in ITEM_KINDS:
            raise ValueError(f"kind must be one of {', '.join(ITEM_KINDS)}, not {kind!r}")
        data: dict[str, Any] = {"Name": name}
        if taxable is not None:
            data["SalesTaxCodeRef"] = _ref("Tax" if taxable else "Non")
        if kind == "inventory":
            if description:
                data["SalesDesc"] = description
            if price is not None:
                data["SalesPrice"] = _money(price)
            data["IncomeAccountRef"] = _ref("Sales")
            data["COGSAccountRef"] = _ref("Cost of Goods Sold")
            data["AssetAccountRef"] = _ref("Inventory Asset")
            if quantity_on_hand is not None:
                data["QuantityOnHand"] = _money(quantity_on_hand)
            return self._show(self._company.item_inventory_add(data))
        if quantity_on_hand is not None:
            raise ValueError("only inventory items have a quantity on hand")
        sales: dict[str, Any] = {}
        if description:
            sales["Desc"] = description
        if price is not None:
            sales["Price"] = _money(price)
        sales["AccountRef"] = _ref("Sales")
        data["SalesOrPurchase"] = sales
        return self._show(self._company.list_add(ITEM_KINDS[kind], data))

    def generate(
        self, customers: int = 0, items: int = 0, invoices: int = 0, seed: int = 0
    ) -> dict[str, int]:
        """Bulk data a person entered over the years: seeded fake customers, service items
        and invoices (1-3 lines each, customers in turn). The same seed, the same data."""
        if self._bulk_data is None:
            raise ValueError("this company was built without a bulk data source")
        data = self._bulk_data(customers, items, invoices, seed)
        for name in data.customers:
            self.add_customer(name)
        for name, price in data.items:
            self.add_item("service", name, price=price)
        for invoice in data.invoices:
            self.create_invoice(
                invoice.customer,
                [{"item": i, "quantity": q, "rate": rate} for i, q, rate in invoice.lines],
            )
        return {"customers": customers, "items": items, "invoices": invoices}

    def add_sales_tax_item(self, name: str, rate: Any, vendor: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"Name": name, "TaxRate": _money(rate)}
        if vendor:
            data["TaxVendorRef"] = _ref(vendor)
        return self._show(self._company.item_sales_tax_add(data))

    def add_payment_method(
        self, name: str, payment_method_type: str | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"Name": name}
        if payment_method_type:
            data["PaymentMethodType"] = payment_method_type
        return self._show(self._company.payment_method_add(data))

    def add_account(self, name: str, account_type: str) -> dict[str, Any]:
        return self._show(self._company.account_add({"Name": name, "AccountType": account_type}))

    def make_inactive(self, list_name: str, name: str) -> dict[str, Any]:
        return self._set_active(list_name, name, False)

    def make_active(self, list_name: str, name: str) -> dict[str, Any]:
        return self._set_active(list_name, name, True)

    def _set_active(self, list_name: str, name: str, active: bool) -> dict[str, Any]:
        kind = LIST_KINDS.get(list_name, list_name)
        if kind not in LIST_OF_KIND:
            raise ValueError(f"unknown list {list_name!r}; one of {', '.join(LIST_KINDS)}")
        record = self._company.find_by_name(LIST_OF_KIND[kind], name)
        if record is None or record.kind != kind:
            raise InvalidReference(kind, name, "list")
        return self._show(self._company.set_active(kind, record.id, active))

    def rename(self, list_name: str, name: str, new_name: str) -> dict[str, Any]:
        kind = LIST_KINDS.get(list_name, list_name)
        record = self._company.find_by_name(LIST_OF_KIND.get(kind, kind), name)
        if record is None:
            raise InvalidReference(kind, name, "list")
        data = {"ListID": record.id, "EditSequence": str(record.edit_sequence), "Name": new_name}
        return self._show(self._company.list_mod(record.kind, data))

    def edit_customer(
        self,
        name: str,
        phone: str | None = None,
        alt_phone: str | None = None,
        fax: str | None = None,
        email: str | None = None,
        company_name: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        contact: str | None = None,
        notes: str | None = None,
        bill_address: dict[str, Any] | None = None,
        ship_address: dict[str, Any] | None = None,
        terms: str | None = None,
    ) -> dict[str, Any]:
        """Edit a customer in the Edit Customer window: the fields given change, the others
        stay; an address given (``lines``, ``city``, ``state``, ``postal_code``,
        ``country``) replaces the whole address, as a person retypes the block; ``terms``
        names one of the file's terms (a new file has the standard ones, e.g. "Net 30"; an
        unknown name is 3140, as QuickBooks refuses it). Saved like a CustomerMod: new
        EditSequence and TimeModified."""
        record = self._company.find_by_name(LIST_OF_KIND["Customer"], name)
        if record is None or record.kind != "Customer":
            raise InvalidReference("Customer", name, "list")
        given = {
            "phone": phone,
            "alt_phone": alt_phone,
            "fax": fax,
            "email": email,
            "company_name": company_name,
            "first_name": first_name,
            "last_name": last_name,
            "contact": contact,
            "notes": notes,
        }
        data: dict[str, Any] = {"ListID": record.id, "EditSequence": str(record.edit_sequence)}
        data.update({CUSTOMER_FIELDS[k]: v for k, v in given.items() if v is not None})
        if bill_address is not None:
            data["BillAddress"] = _address(bill_address)
        if ship_address is not None:
            data["ShipAddress"] = _address(ship_address)
        if terms is not None:
            data["TermsRef"] = _ref(terms)
        if len(data) == 2:
            raise ValueError("edit_customer: no field to change")
        return self._show(self._company.customer_mod(data))

    # --- transactions ------------------------------------------------------------------------

    def create_invoice(
        self,
        customer: str,
        lines: list[dict[str, Any]],
        ref_number: str | None = None,
        memo: str | None = None,
        txn_date: str | None = None,
        due_date: str | None = None,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"CustomerRef": _ref(customer)}
        if txn_date:
            data["TxnDate"] = date.fromisoformat(txn_date)
        if ref_number:
            data["RefNumber"] = ref_number
        if due_date:
            data["DueDate"] = date.fromisoformat(due_date)
        if memo:
            data["Memo"] = memo
        data["InvoiceLineAdd"] = [self._line(line) for line in lines]
        return self._show(self._company.invoice_add(data))

    def edit_invoice(
        self,
        ref_number: str,
        lines: list[dict[str, Any]] | None = None,
        due_date: str | None = None,
        new_ref_number: str | None = None,
    ) -> dict[str, Any]:
        """Edit an invoice in the UI: new lines (all replaced), a new due date and/or a new
        number."""
        invoice = self._invoice(ref_number)
        data: dict[str, Any] = {"TxnID": invoice.id, "EditSequence": str(invoice.edit_sequence)}
        if due_date:
            data["DueDate"] = date.fromisoformat(due_date)
        if new_ref_number is not None:
            data["RefNumber"] = new_ref_number
        if lines is not None:
            data["InvoiceLineMod"] = [{"TxnLineID": "-1", **self._line(line)} for line in lines]
        return self._show(self._company.invoice_mod(data))

    def delete_customer(self, name: str) -> dict[str, Any]:
        """Delete a customer in the UI (refused while transactions use it, as QuickBooks does)."""
        record = self._company.find_by_name(LIST_OF_KIND["Customer"], name)
        if record is None or record.kind != "Customer":
            raise InvalidReference("Customer", name, "list")
        shown = self._show(record)
        self._company.list_del("Customer", record.id)
        return shown

    @staticmethod
    def _line(line: dict[str, Any]) -> dict[str, Any]:
        unknown = set(line) - {"item", "quantity", "rate", "amount", "description", "taxable"}
        if unknown:
            raise ValueError(f"unknown invoice line keys: {', '.join(sorted(unknown))}")
        out: dict[str, Any] = {}
        if "item" in line:
            out["ItemRef"] = _ref(line["item"])
        if "description" in line:
            out["Desc"] = line["description"]
        if "quantity" in line:
            out["Quantity"] = _money(line["quantity"])
        if "rate" in line:
            out["Rate"] = _money(line["rate"])
        if "amount" in line:
            out["Amount"] = _money(line["amount"])
        if "taxable" in line:
            out["SalesTaxCodeRef"] = _ref("Tax" if line["taxable"] else "Non")
        return out

    def receive_payment(
        self,
        customer: str,
        amount: Any,
        method: str | None = None,
        applied_to: list[dict[str, Any]] | None = None,
        deposit_to: str | None = None,
        ref_number: str | None = None,
        memo: str | None = None,
        auto_apply: bool = False,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"CustomerRef": _ref(customer)}
        if ref_number:
            data["RefNumber"] = ref_number
        data["TotalAmount"] = _money(amount)
        if method:
            data["PaymentMethodRef"] = _ref(method)
        if memo:
            data["Memo"] = memo
        if deposit_to:
            data["DepositToAccountRef"] = _ref(deposit_to)
        if applied_to:
            data["AppliedToTxnAdd"] = [
                {
                    "TxnID": self._invoice(entry["invoice"]).id,
                    **({"PaymentAmount": _money(entry["amount"])} if "amount" in entry else {}),
                }
                for entry in applied_to
            ]
        else:
            data["IsAutoApply"] = auto_apply
        return self._show(self._company.receive_payment_add(data))

    def edit_payment(
        self,
        txn_id: str | None = None,
        ref_number: str | None = None,
        amount: Any = None,
        applied_to: list[dict[str, Any]] | None = None,
        memo: str | None = None,
    ) -> dict[str, Any]:
        payment = self._transaction("ReceivePayment", txn_id, ref_number)
        data: dict[str, Any] = {"TxnID": payment.id, "EditSequence": str(payment.edit_sequence)}
        if amount is not None:
            data["TotalAmount"] = _money(amount)
        if memo is not None:
            data["Memo"] = memo
        if applied_to is not None:
            data["AppliedToTxnMod"] = [
                {"TxnID": self._invoice(e["invoice"]).id, "PaymentAmount": _money(e["amount"])}
                for e in applied_to
            ]
        return self._show(self._company.receive_payment_mod(data))

    def void_payment(
        self, txn_id: str | None = None, ref_number: str | None = None
    ) -> dict[str, Any]:
        """Void a received payment as a person can in the UI (the SDK cannot: TxnVoid refuses
        ReceivePayment). The payment stays with a zero amount, no applications and a
        "VOID:" memo; the invoices it paid are open again."""
        payment = self._transaction("ReceivePayment", txn_id, ref_number)
        return self._show(self._company.void_payment(payment.id))

    def void_invoice(self, ref_number: str) -> dict[str, Any]:
        return self._show(self._company.txn_void("Invoice", self._invoice(ref_number).id))

    def delete_transaction(
        self, txn_type: str, ref_number: str | None = None, txn_id: str | None = None
    ) -> dict[str, Any]:
        record = self._transaction(txn_type, txn_id, ref_number)
        shown = self._show(record)
        self._company.txn_del(txn_type, record.id)
        return shown

    # --- what goes wrong in QuickBooks -------------------------------------------------------

    def fail_requests(
        self, fault: str, request: str, nth: int = 1, times: int = 1
    ) -> dict[str, Any]:
        """From now on the ``nth`` request of type ``request`` (``InvoiceAdd``), and the next
        ``times - 1`` of them, get the named QuickBooks error instead of being processed:
        record_in_use (3170), closing_date (3171), record_locked (3175), list_locked (3176),
        save_failed (3180), permission_denied (3260). Another user editing the record, a
        closed period, a user without rights: what a fake company never meets by itself."""
        self._company.faults.add(fault, request, nth, times)
        return {"fault": fault, "request": request, "nth": nth, "times": times}

    # --- inventory ---------------------------------------------------------------------------

    def add_site(self, name: str) -> dict[str, Any]:
        """An Advanced Inventory site (QBD-07)."""
        return self._show(self._company.inventory_site_add({"Name": name}))

    def add_vendor(self, name: str) -> dict[str, Any]:
        return self._show(self._company.vendor_add({"Name": name}))

    def add_employee(self, first_name: str, last_name: str) -> dict[str, Any]:
        """An employee (Employee Center): their name joins the one name list customers and
        vendors share."""
        return self._show(
            self._company.employee_add({"FirstName": first_name, "LastName": last_name})
        )

    # --- custom fields -----------------------------------------------------------------------

    def define_custom_field(self, name: str, lists: list[str] | None = None) -> dict[str, Any]:
        """Define Fields (Additional Info of a customer, vendor, employee or item): a custom
        field (a data extension of OwnerID 0) of the named lists, customers by default."""
        assign = [self._custom_field_list(n) for n in (lists or ["customer"])]
        data = {"OwnerID": "0", "DataExtName": name, "DataExtType": "STR255TYPE"}
        return dict(self._company.data_ext_def_add({**data, "AssignToObject": assign}))

    def set_custom_field(self, list_name: str, name: str, field: str, value: str) -> dict[str, Any]:
        """Typing a custom field's value on a customer, vendor, employee or item: the record
        is modified (TimeModified and EditSequence move); an empty value clears the field."""
        object_type = self._custom_field_list(list_name)
        record = self._company.find_by_name(object_type, name)
        if record is None:
            raise InvalidReference(object_type, name, "list")
        data: dict[str, Any] = {
            "OwnerID": "0",
            "DataExtName": field,
            "ListDataExtType": object_type,
            "ListObjRef": {"ListID": record.id},
        }
        shown = self._company.data_ext_rets(record, frozenset({"0"}))
        has_value = any(str(r["DataExtName"]).casefold() == field.casefold() for r in shown)
        if not str(value):
            if has_value:
                self._company.data_ext_del(data)
        elif has_value:
            self._company.data_ext_mod({**data, "DataExtValue": str(value)})
        else:
            self._company.data_ext_add({**data, "DataExtValue": str(value)})
        return self._show(record)

    @staticmethod
    def _custom_field_list(list_name: str) -> str:
        if list_name not in CUSTOM_FIELD_LISTS:
            raise ValueError(
                f"custom fields belong to {', '.join(CUSTOM_FIELD_LISTS)}, not {list_name!r}"
            )
        return CUSTOM_FIELD_LISTS[list_name]

    def adjust_quantity(
        self,
        item: str,
        new_quantity: Any = None,
        quantity_difference: Any = None,
        site: str | None = None,
        memo: str | None = None,
    ) -> dict[str, Any]:
        """Inventory > Adjust Quantity/Value on Hand, adjustment type Quantity: "New
        Quantity" sets, "Quantity Difference" adds; with a site, at that site only (QBD-08)."""
        if (new_quantity is None) == (quantity_difference is None):
            raise ValueError("give exactly one of new_quantity or quantity_difference")
        adjustment = (
            {"NewQuantity": _money(new_quantity)}
            if new_quantity is not None
            else {"QuantityDifference": _money(quantity_difference)}
        )
        data: dict[str, Any] = {"AccountRef": _ref("Cost of Goods Sold")}
        if site:
            data["InventorySiteRef"] = _ref(site)
        if memo:
            data["Memo"] = memo
        data["InventoryAdjustmentLineAdd"] = [
            {"ItemRef": _ref(item), "QuantityAdjustment": adjustment}
        ]
        return self._show(self._company.inventory_adjustment_add(data))

    def create_purchase_order(
        self, vendor: str, lines: list[dict[str, Any]], ref_number: str | None = None
    ) -> dict[str, Any]:
        """A purchase order: quantity on order changes, on hand does not (QBD-09)."""
        data: dict[str, Any] = {"VendorRef": _ref(vendor)}
        if ref_number:
            data["RefNumber"] = ref_number
        data["PurchaseOrderLineAdd"] = [self._stock_line(line, "rate", "Rate") for line in lines]
        return self._show(self._company.purchase_order_add(data))

    def receive_items(
        self,
        vendor: str,
        lines: list[dict[str, Any]],
        purchase_order: str | None = None,
        ref_number: str | None = None,
    ) -> dict[str, Any]:
        """An item receipt (Receive Items), optionally against a purchase order by its
        RefNumber: quantity on hand goes up, at a line's site if it names one (QBD-09)."""
        data: dict[str, Any] = {"VendorRef": _ref(vendor)}
        if ref_number:
            data["RefNumber"] = ref_number
        if purchase_order:
            order = self._transaction("PurchaseOrder", None, purchase_order)
            data["LinkToTxnID"] = [order.id]
        data["ItemLineAdd"] = [self._stock_line(line, "cost", "Cost") for line in lines]
        return self._show(self._company.item_receipt_add(data))

    def transfer_inventory(
        self, from_site: str, to_site: str, lines: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Transfer Inventory between sites: per-site quantities change, the total does not
        (QBD-14)."""
        data: dict[str, Any] = {
            "FromInventorySiteRef": _ref(from_site),
            "ToInventorySiteRef": _ref(to_site),
            "TransferInventoryLineAdd": [
                {"ItemRef": _ref(line["item"]), "QuantityToTransfer": _money(line["quantity"])}
                for line in lines
            ],
        }
        return self._show(self._company.transfer_inventory_add(data))

    @staticmethod
    def _stock_line(line: dict[str, Any], price_key: str, price_name: str) -> dict[str, Any]:
        unknown = set(line) - {"item", "quantity", price_key, "site"}
        if unknown:
            raise ValueError(f"unknown line keys: {', '.join(sorted(unknown))}")
        out: dict[str, Any] = {"ItemRef": _ref(line["item"])}
        out["Quantity"] = _money(line.get("quantity", 1))
        if price_key in line:
            out[price_name] = _money(line[price_key])
        if line.get("site"):
            out["InventorySiteRef"] = _ref(line["site"])
        return out

    # --- lookups -----------------------------------------------------------------------------

    def _invoice(self, ref_number: str) -> Record:
        return self._transaction("Invoice", None, ref_number)

    def _transaction(self, kind: str, txn_id: str | None, ref_number: str | None) -> Record:
        if kind not in ("Invoice", "ReceivePayment", "PurchaseOrder"):
            raise ValueError(f"unknown transaction type {kind!r}")
        if txn_id:
            return self._company.get(kind, txn_id)
        if ref_number is None:
            raise ValueError("give a ref_number or a txn_id")
        matches = [
            r
            for r in self._company.records[kind].values()
            if str(r.fields.get("RefNumber", "")).casefold() == str(ref_number).casefold()
        ]
        if not matches:
            raise ObjectNotFound(str(ref_number))
        if len(matches) > 1:
            raise ValueError(f"{len(matches)} {kind} transactions have RefNumber {ref_number!r}")
        return matches[0]
