"""The QuickBooks objects a log's responses reveal, as ``given.qbd`` actions, so the fake
company starts where the real one was; and, once the fake is seeded, which of its IDs stands
for which real one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from harness import xmlsafe
from harness.clock import SimClock
from harness.fake_qbd import QBDCompany
from harness.fake_qbd.errors import QBStatusError, RequestProcessorError
from harness.fake_qbd.models import LIST_OF_KIND
from harness.fake_qbd.settings import CompanySettings

#: Item object -> the operator's item kind.
ITEM_KINDS = {
    "ItemServiceRet": "service",
    "ItemNonInventoryRet": "non_inventory",
    "ItemInventoryRet": "inventory",
}
#: 3100 names the list element that already exists (QBWC-FACTS.md, status codes).
NAME_IN_USE = re.compile(r'The name "(?P<name>[^"]+)" of the list element is already in use')
ADD_KINDS = {
    "CustomerAdd": "customer",
    "ItemServiceAdd": "service",
    "ItemNonInventoryAdd": "non_inventory",
    "ItemInventoryAdd": "inventory",
}


@dataclass
class Revealed:
    """One object QuickBooks showed, and the action that makes the fake hold it."""

    kind: str  # Customer, ItemService, Invoice, ...
    key: str  # its name or RefNumber
    real_id: str
    edit_sequence: str
    action: dict[str, Any]
    inferred: str = ""  # why it was added when no response showed it whole


@dataclass
class Company:
    objects: dict[tuple[str, str], Revealed] = field(default_factory=dict)
    multi_location: bool = False
    refused: list[str] = field(default_factory=list)  # objects the fake would not take

    def ranked(self) -> list[Revealed]:
        """In the order the fake can take them: lists before the transactions that name
        them, parents before sub-customers."""
        order = (
            "PaymentMethod",
            "Account",
            "InventorySite",
            "Customer",
            "Item",
            "Invoice",
            "ReceivePayment",
        )
        return sorted(
            self.objects.values(), key=lambda r: (order.index(_group(r.kind)), r.key.count(":"))
        )

    def add(self, revealed: Revealed) -> None:
        self.objects[(_group(revealed.kind), revealed.key.lower())] = revealed

    def has(self, kind: str, key: str) -> bool:
        return (_group(kind), key.lower()) in self.objects


def _group(kind: str) -> str:
    return "Item" if kind.startswith("Item") else kind


def reveal(
    answers: list[str], failures: list[tuple[str, str]], history: list[str] | None = None
) -> Company:
    """``answers``: QuickBooks' answers (already rewritten for personal data), in order;
    objects shown by queries are the company, unless an Add in these answers created them;
    a later sight of an object wins. ``failures``: (request type, status message) of the
    requests QuickBooks refused, for what the message names (3100: the name exists).
    ``history``: answers of earlier sessions, not reproduced: whatever they show, added or
    queried, existed before."""
    company = Company()
    for text in history or ():
        root = parse_qbxml(text)
        for rs in root.iter() if root is not None else ():
            if isinstance(rs.tag, str) and rs.tag.endswith(("QueryRs", "AddRs", "ModRs")):
                for ret in rs:
                    _read(company, ret)
    created: set[str] = set()
    for text in answers:
        root = parse_qbxml(text)
        if root is None:
            continue
        for rs in root.iter():
            if not isinstance(rs.tag, str):
                continue
            if rs.tag.endswith("AddRs"):
                created.update(_text(ret, "ListID") or _text(ret, "TxnID") for ret in rs)
            elif rs.tag.endswith("QueryRs"):
                for ret in rs:
                    if (_text(ret, "ListID") or _text(ret, "TxnID")) not in created:
                        _read(company, ret)
    for request_type, message in failures:
        found = NAME_IN_USE.search(message)
        kind = ADD_KINDS.get(request_type)
        if found and kind and not company.has(_object(kind), found["name"]):
            company.add(_existing(kind, found["name"]))
    _complete_references(company)
    return company


def parse_qbxml(text: str | None) -> etree._Element | None:
    """A qbXML message's root element; None when it is absent or not well-formed."""
    if not text:
        return None
    try:
        return xmlsafe.parse(text.encode("utf-8"), what="qbXML")
    except (etree.XMLSyntaxError, ValueError):
        return None


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _read(company: Company, ret: etree._Element) -> None:
    tag = ret.tag if isinstance(ret.tag, str) else ""
    ids = (_text(ret, "ListID") or _text(ret, "TxnID"), _text(ret, "EditSequence"))
    name = _text(ret, "FullName") or _text(ret, "Name")
    if tag == "CustomerRet":
        parent = _text(ret, "ParentRef/FullName")
        action = {"name": _text(ret, "Name"), **({"parent": parent} if parent else {})}
        company.add(Revealed("Customer", name, *ids, {"add_customer": action}))
    elif tag in ITEM_KINDS:
        kind = ITEM_KINDS[tag]
        args: dict[str, Any] = {"kind": kind, "name": name}
        price = _text(ret, "SalesPrice") or _text(ret, "SalesOrPurchase/Price")
        price = price or _text(ret, "SalesAndPurchase/SalesPrice")
        if price:
            args["price"] = price
        if kind == "inventory" and _text(ret, "QuantityOnHand"):
            args["quantity_on_hand"] = _text(ret, "QuantityOnHand")
        company.add(Revealed(tag.removesuffix("Ret"), name, *ids, {"add_item": args}))
    elif tag == "InventorySiteRet":
        company.multi_location = True
        company.add(Revealed("InventorySite", name, *ids, {"add_site": {"name": name}}))
    elif tag == "PaymentMethodRet":
        company.add(Revealed("PaymentMethod", name, *ids, {"add_payment_method": {"name": name}}))
    elif tag == "AccountRet":
        account = {"name": name, "account_type": _text(ret, "AccountType")}
        company.add(Revealed("Account", name, *ids, {"add_account": account}))
    elif tag == "InvoiceRet" and _text(ret, "RefNumber"):
        company.add(Revealed("Invoice", _text(ret, "RefNumber"), *ids, _invoice(ret)))
    elif tag == "ReceivePaymentRet":
        key = _text(ret, "RefNumber") or ids[0]
        company.add(Revealed("ReceivePayment", key, *ids, _payment(ret, company)))


def _invoice(ret: etree._Element) -> dict[str, Any]:
    lines = []
    for line in ret.iter("InvoiceLineRet"):
        entry: dict[str, Any] = {}
        if item := _text(line, "ItemRef/FullName"):
            entry["item"] = item
        if desc := _text(line, "Desc"):
            entry["description"] = desc
        if quantity := _text(line, "Quantity"):
            entry["quantity"] = quantity
        if rate := _text(line, "Rate"):
            entry["rate"] = rate
        elif amount := _text(line, "Amount"):
            entry["amount"] = amount
        lines.append(entry)
    args: dict[str, Any] = {
        "customer": _text(ret, "CustomerRef/FullName"),
        "ref_number": _text(ret, "RefNumber"),
        "lines": lines,
    }
    if txn_date := _text(ret, "TxnDate"):
        args["txn_date"] = txn_date
    return {"create_invoice": args}


def _payment(ret: etree._Element, company: Company) -> dict[str, Any]:
    args: dict[str, Any] = {
        "customer": _text(ret, "CustomerRef/FullName"),
        "amount": _text(ret, "TotalAmount"),
    }
    if ref := _text(ret, "RefNumber"):
        args["ref_number"] = ref
    if method := _text(ret, "PaymentMethodRef/FullName"):
        args["method"] = method
    applied = [
        {"invoice": _text(a, "RefNumber"), "amount": _text(a, "Amount")}
        for a in ret.iter("AppliedToTxnRet")
        if _text(a, "TxnType") == "Invoice" and company.has("Invoice", _text(a, "RefNumber"))
    ]
    if applied:
        args["applied_to"] = applied
    return {"receive_payment": args}


def _object(kind: str) -> str:
    return "Customer" if kind == "customer" else "Item"


def _existing(kind: str, name: str, why: str = "3100 said it exists") -> Revealed:
    if kind == "customer":
        return Revealed("Customer", name, "", "", {"add_customer": {"name": name}}, why)
    return Revealed("Item", name, "", "", {"add_item": {"kind": kind, "name": name}}, why)


def _complete_references(company: Company) -> None:
    """Customers, parents, items and payment methods that revealed transactions name but
    no answer showed: the fake needs them to hold the transactions."""
    for revealed in list(company.objects.values()):
        args = next(iter(revealed.action.values()))
        needed: list[tuple[str, str]] = []
        if args.get("parent"):
            needed.append(("customer", args["parent"]))
        if args.get("customer"):
            needed.append(("customer", args["customer"]))
        needed += [("service", line["item"]) for line in args.get("lines", []) if "item" in line]
        for kind, name in needed:
            if not company.has(_object(kind), name):
                company.add(_existing(kind, name, f"named by {revealed.kind} {revealed.key}"))
        if args.get("method") and not company.has("PaymentMethod", args["method"]):
            action = {"add_payment_method": {"name": args["method"]}}
            why = f"named by {revealed.kind} {revealed.key}"
            company.add(Revealed("PaymentMethod", args["method"], "", "", action, why))


IdMap = dict[str, tuple[str, str, str]]


def seed_fake(company: Company) -> tuple[QBDCompany, IdMap]:
    """A fake company seeded exactly as the scenario's ``given.qbd`` will seed it, and
    real ID -> (the fake's ID, the real EditSequence last seen, the fake's EditSequence).

    An object every fake company has already (a default account, the default site) is
    mapped to it and left out of ``given.qbd``; one the fake refuses is left out with a
    note in ``company.refused``."""
    clock = SimClock()
    qbd = QBDCompany(CompanySettings(multi_location_inventory=company.multi_location), clock)
    mapping: IdMap = {}
    for revealed in company.ranked():
        list_name = LIST_OF_KIND.get(revealed.kind)
        existing = qbd.find_by_name(list_name, revealed.key) if list_name else None
        if existing is not None:
            del company.objects[(_group(revealed.kind), revealed.key.lower())]
            fake_id, fake_sequence = existing.id, str(existing.edit_sequence)
        else:
            ((name, args),) = revealed.action.items()
            try:
                shown = getattr(qbd.operator, name)(**args)
            except (ValueError, QBStatusError, RequestProcessorError) as exc:
                del company.objects[(_group(revealed.kind), revealed.key.lower())]
                company.refused.append(
                    f"{revealed.kind} {revealed.key!r}: the fake refused it ({exc})"
                )
                continue
            fake_id = shown.get("ListID") or shown.get("TxnID") or ""
            fake_sequence = shown.get("EditSequence", "")
        if revealed.real_id and fake_id:
            mapping[revealed.real_id] = (fake_id, revealed.edit_sequence, fake_sequence)
    return qbd, mapping


def map_ids(request: str, mapping: IdMap) -> str:
    """The request with the real company's IDs replaced by the fake's. An EditSequence that
    was current when QuickBooks last showed the object becomes the fake's current one; a
    stale one stays stale (so a 3200 stays a 3200)."""
    root = parse_qbxml(request)
    for real_id, (fake_id, real_seq, fake_seq) in mapping.items():
        if root is not None:
            for holder in root.iter():
                if _text(holder, "ListID") == real_id or _text(holder, "TxnID") == real_id:
                    sequence = holder.find("EditSequence")
                    if sequence is not None and sequence.text:
                        sent = sequence.text.strip()
                        new = fake_seq if sent == real_seq else sent
                        if new == fake_seq and sent != real_seq:
                            new = str(int(fake_seq) - 1)
                        request = request.replace(
                            f"<EditSequence>{sent}</EditSequence>",
                            f"<EditSequence>{new}</EditSequence>",
                        )
        request = request.replace(f">{real_id}<", f">{fake_id}<")
    return request
