"""Reading a qbXML request: envelope, element order, leaf types.

The whole message set is parsed and checked before any request in it runs, because
QuickBooks' request processor does the same: a parse error (0x80040400) applies nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, NamedTuple

from lxml import etree

from harness import xmlsafe
from harness.fake_qbd._grammar import ITERATOR_QUERIES, REQUEST_ORDER
from harness.fake_qbd._schema_tables import REQUEST_TYPES
from harness.fake_qbd.errors import (
    VERSION_ERROR_MESSAGE,
    VERSION_NOT_SUPPORTED,
    NotModeledError,
    RequestProcessorError,
)
from harness.fake_qbd.limits import first_too_long
from harness.fake_qbd.values import parse_leaf

ON_ERROR_VALUES = ("stopOnError", "continueOnError", "rollbackOnError")
META_DATA_VALUES = ("NoMetaData", "MetaDataOnly", "MetaDataAndResponseData")
REF_ORDER = "ListID? FullName?"
#: Choices the schema requires (one member must be present); flattened in _grammar.
REQUIRED_CHOICES: dict[str, tuple[str, ...]] = {
    "ReceivePaymentAdd": ("IsAutoApply", "AppliedToTxnAdd"),
    "ItemServiceAdd": ("SalesOrPurchase", "SalesAndPurchase"),
    "ItemNonInventoryAdd": ("SalesOrPurchase", "SalesAndPurchase"),
    "TxnDateRangeFilter": ("FromTxnDate", "ToTxnDate", "DateMacro"),
    "EntityFilter": ("ListID", "FullName", "ListIDWithChildren", "FullNameWithChildren"),
    "DataExtAdd": ("ListDataExtType", "TxnDataExtType", "OtherDataExtType"),
    "DataExtMod": ("ListDataExtType", "TxnDataExtType", "OtherDataExtType"),
    "DataExtDel": ("ListDataExtType", "TxnDataExtType", "OtherDataExtType"),
}
#: Schema-valid members the fake does not model, per aggregate: a request holding one is
#: inconclusive (NotModeledError) when the message set is read, so nothing of it is applied
#: and nothing is silently ignored (a payment's credit or discount changes balances).
_PRICE_LINES = ("DiscountLineAdd", "SalesTaxLineAdd", "ShippingLineAdd")
NOT_MODELED_MEMBERS: dict[str, tuple[str, ...]] = {
    # Invoicing from an estimate or sales order, credits applied by the invoice itself or
    # by a payment's Mod (a ReceivePaymentAdd's SetCredit is modeled), a payment's
    # discount, discount, tax and shipping lines, percentage rates (the items they need
    # are not modeled).
    "InvoiceAdd": ("LinkToTxnID", "SetCredit", *_PRICE_LINES),
    "InvoiceMod": ("SetCredit",),
    "SalesReceiptAdd": _PRICE_LINES,
    "CreditMemoAdd": _PRICE_LINES,
    "InvoiceLineAdd": ("RatePercent", "LinkToTxn"),
    "InvoiceLineMod": ("RatePercent",),
    "SalesReceiptLineAdd": ("RatePercent",),
    "CreditMemoLineAdd": ("RatePercent",),
    "EstimateLineAdd": ("RatePercent",),
    "SalesOrderLineAdd": ("RatePercent",),
    # A bill linked to a purchase order (receiving against it is ItemReceiptAdd's).
    "BillAdd": ("LinkToTxnID",),
    "AppliedToTxnAdd": ("DiscountAmount",),
    "AppliedToTxnMod": ("SetCredit", "DiscountAmount"),
    "CheckAdd": ("ApplyCheckToTxnAdd",),
    "DataExtAdd": ("TxnLineID",),
    "DataExtMod": ("TxnLineID",),
    "DataExtDel": ("TxnLineID",),
}
#: Members not modeled in an aggregate only where it sits in one parent: a bill payment's
#: AppliedToTxnAdd (the element a ReceivePaymentAdd shares, whose SetCredit is modeled).
NOT_MODELED_WITHIN: dict[tuple[str, str], tuple[str, ...]] = {
    ("BillPaymentCheckAdd", "AppliedToTxnAdd"): ("SetCredit",),
}
#: Members of one branch of a flattened choice: each needs the other (qbxml130 ListDataExt:
#: ListDataExtType with ListObjRef; TxnDataExt: TxnDataExtType with TxnID); there the
#: required choice also takes only one branch.
PAIRED: dict[str, dict[str, str]] = {
    name: {
        "ListDataExtType": "ListObjRef",
        "ListObjRef": "ListDataExtType",
        "TxnDataExtType": "TxnID",
        "TxnID": "TxnDataExtType",
    }
    for name in ("DataExtAdd", "DataExtMod", "DataExtDel")
}


class Token(NamedTuple):
    name: str
    required: bool
    repeats: bool


def tokens(spec: str) -> list[Token]:
    out = []
    for raw in spec.split():
        suffix = raw[-1] if raw[-1] in "?*+" else ""
        name = raw.rstrip("?*+")
        out.append(Token(name, suffix in ("", "+"), suffix in ("*", "+")))
    return out


_TOKENS: dict[str, list[Token]] = {}


def spec_for(name: str) -> list[Token] | None:
    if name not in _TOKENS:
        if name in REQUEST_ORDER:
            _TOKENS[name] = tokens(REQUEST_ORDER[name])
        elif name.endswith("Ref"):
            _TOKENS[name] = tokens(REF_ORDER)
        else:
            return None
    return _TOKENS[name]


@dataclass
class Request:
    """One ``*Rq`` of a message set, checked and converted to Python values."""

    name: str  # e.g. "CustomerAddRq"
    request_id: str | None
    body: dict[str, Any]
    attributes: dict[str, str]
    #: (field, value) of a string longer than the schema allows: the request gets 3070.
    too_long: tuple[str, str] | None = None


@dataclass
class MessageSet:
    version: str
    on_error: str
    requests: list[Request]


def parse_message_set(
    text: str, supported_versions: tuple[str, ...], known: frozenset[str], local_tz: tzinfo
) -> MessageSet:
    try:
        # A DOCTYPE or an oversized request is a parse error too (0x80040400), applying
        # nothing; what real QuickBooks answers to them is unconfirmed.
        root = xmlsafe.parse(text, what="the qbXML request")
    except xmlsafe.UnsafeXmlError as exc:
        raise RequestProcessorError.parse_error(str(exc)) from None
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise RequestProcessorError.parse_error(f"not well-formed: {exc}") from None
    version = _qbxml_version(root)
    if version not in supported_versions:
        raise RequestProcessorError(VERSION_NOT_SUPPORTED, VERSION_ERROR_MESSAGE)
    if root.tag != "QBXML":
        raise RequestProcessorError.parse_error(f"root element is {root.tag}, expected QBXML")
    children = _elements(root)
    if len(children) != 1 or children[0].tag != "QBXMLMsgsRq":
        raise RequestProcessorError.parse_error("QBXML must hold one QBXMLMsgsRq")
    msgs = children[0]
    on_error = msgs.get("onError")
    if on_error not in ON_ERROR_VALUES:
        raise RequestProcessorError.parse_error(
            f"QBXMLMsgsRq onError must be one of {', '.join(ON_ERROR_VALUES)}"
        )
    requests = []
    for rq in _elements(msgs):
        if rq.tag not in known:
            if rq.tag in REQUEST_TYPES:
                # Valid qbXML 13.0 that real QuickBooks would answer: a gap of the simulator,
                # never to be confused with the connector's malformed request.
                raise NotModeledError(rq.tag)
            raise RequestProcessorError.parse_error(f"unknown request {rq.tag}")
        body = read_aggregate(rq, rq.tag, local_tz)
        attributes = {str(k): str(v) for k, v in rq.attrib.items()}
        _check_attributes(rq.tag, attributes)
        requests.append(
            Request(rq.tag, attributes.get("requestID"), body, attributes, first_too_long(rq))
        )
    return MessageSet(version, on_error, requests)


def _check_attributes(name: str, attributes: dict[str, str]) -> None:
    """requestID everywhere; metaData on queries; iterator attributes only where the schema
    declares them (QBWC-FACTS.md: not on AccountQuery, TxnDeletedQuery ...)."""
    allowed = {"requestID"}
    if name.endswith("QueryRq"):
        allowed.add("metaData")
    if name in ITERATOR_QUERIES:
        allowed |= {"iterator", "iteratorID"}
    if attributes.get("metaData", "NoMetaData") not in META_DATA_VALUES:
        raise RequestProcessorError.parse_error(
            f"{name}: metaData must be one of {', '.join(META_DATA_VALUES)}"
        )
    unknown = set(attributes) - allowed
    if unknown:
        raise RequestProcessorError.parse_error(
            f"{name}: attribute {sorted(unknown)[0]} is not allowed here"
        )
    iterator = attributes.get("iterator")
    if iterator is None:
        if "iteratorID" in attributes:
            raise RequestProcessorError.parse_error(f"{name}: iteratorID without iterator")
        return
    if iterator not in ("Start", "Continue", "Stop"):
        raise RequestProcessorError.parse_error(f"{name}: iterator must be Start, Continue or Stop")
    if iterator != "Start" and not attributes.get("iteratorID"):
        raise RequestProcessorError.parse_error(f"{name}: iterator={iterator} needs an iteratorID")


def _qbxml_version(root: etree._Element) -> str:
    node = root.getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "qbxml":
            value = node.get("version")
            if value:
                return value
        node = node.getprevious()
    raise RequestProcessorError.parse_error('missing <?qbxml version="..."?> instruction')


def _elements(parent: etree._Element) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str)]


def read_aggregate(elem: etree._Element, spec_name: str, local_tz: tzinfo) -> dict[str, Any]:
    """Check the children's order against the schema order and convert them to values.

    Repeating elements become lists; aggregates become dicts; leaves are typed by name.
    """
    spec = spec_for(spec_name)
    children = _elements(elem)
    out: dict[str, Any] = {}
    if spec is None:
        # An aggregate the fake does not model member by member (e.g. CreditCardTxnInfo):
        # kept as plain values so it can be stored and echoed.
        for child in children:
            out[child.tag] = _value(child, local_tz)
        return out
    position = 0
    seen: set[str] = set()
    for child in children:
        name = child.tag
        while position < len(spec) and spec[position].name != name:
            token = spec[position]
            if token.required and token.name not in seen:
                raise RequestProcessorError.parse_error(
                    f"{spec_name}: {token.name} is required before {name}"
                )
            position += 1
        if position == len(spec):
            where = "out of order or unknown" if any(t.name == name for t in spec) else "unknown"
            raise RequestProcessorError.parse_error(f"{spec_name}: element {name} is {where}")
        token = spec[position]
        if name in seen and not token.repeats:
            raise RequestProcessorError.parse_error(f"{spec_name}: {name} may appear only once")
        if name in NOT_MODELED_MEMBERS.get(spec_name, ()):
            raise NotModeledError(f"{spec_name} with {name}")
        seen.add(name)
        value = _value(child, local_tz)
        for member in NOT_MODELED_WITHIN.get((spec_name, name), ()):
            if member in value:
                raise NotModeledError(f"{spec_name} {name} with {member}")
        if token.repeats:
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    for token in spec[position:]:
        if token.required and token.name not in seen:
            raise RequestProcessorError.parse_error(f"{spec_name}: {token.name} is missing")
    choice = REQUIRED_CHOICES.get(spec_name)
    if choice and not seen.intersection(choice):
        raise RequestProcessorError.parse_error(f"{spec_name} needs one of {', '.join(choice)}")
    if choice and spec_name in PAIRED and len(seen.intersection(choice)) > 1:
        raise RequestProcessorError.parse_error(f"{spec_name}: only one of {', '.join(choice)}")
    for member, partner in PAIRED.get(spec_name, {}).items():
        if member in seen and partner not in seen:
            raise RequestProcessorError.parse_error(f"{spec_name}: {member} needs {partner}")
    return out


def _value(elem: etree._Element, local_tz: tzinfo) -> Any:
    name = elem.tag
    if _elements(elem) or spec_for(name) is not None:
        return read_aggregate(elem, name, local_tz)
    return parse_leaf(name, elem.text or "", local_tz)
