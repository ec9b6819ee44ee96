"""IsReadOnly: a read-only application's write requests are refused, reads still work.

QBWC opens the connection for a read-only application without write permission (guide p.36,
IsReadOnly). What QuickBooks then answers to a write is not documented in the guide; we
answer each write request with statusCode 3260, "Insufficient permission level to perform
this action." (the qbXML permission error, QBWC-FACTS.md) and apply nothing of it. Reads in
the same message set are processed; with onError="stopOnError" processing stops at the
first refused write, as QuickBooks stops at the first error (unconfirmed detail: choose
this behaviour deliberately in scenarios).
"""

from __future__ import annotations

import copy
from typing import Any

from lxml import etree

from harness import xmlsafe

STATUS_INSUFFICIENT_PERMISSION = 3260
MESSAGE_INSUFFICIENT_PERMISSION = "Insufficient permission level to perform this action."
_WRITE_SUFFIXES = ("AddRq", "ModRq", "DelRq", "VoidRq", "MergeRq")


def is_write_request(tag: str) -> bool:
    """CustomerAddRq, InvoiceModRq, TxnDelRq, TxnVoidRq, ListMergeRq ... change the file."""
    return tag.endswith(_WRITE_SUFFIXES)


class ReadOnlyGuard:
    """Stands between the Web Connector and QuickBooks for an IsReadOnly application."""

    def process(self, request: str, quickbooks: Any) -> tuple[str, str]:
        """Return (response, note); pass anything without a write straight through."""
        try:
            tree = etree.ElementTree(xmlsafe.parse(request, what="the qbXML request"))
        except (etree.XMLSyntaxError, ValueError):
            return quickbooks.process(request), ""  # QuickBooks reports the parse error
        msgs = tree.getroot().find("QBXMLMsgsRq")
        if msgs is None:
            return quickbooks.process(request), ""
        children = [c for c in msgs if isinstance(c.tag, str)]
        writes = [c for c in children if is_write_request(c.tag)]
        if not writes:
            return quickbooks.process(request), ""

        stop_on_error = msgs.get("onError", "stopOnError") != "continueOnError"
        plan: list[etree._Element] = []
        for child in children:
            plan.append(child)
            if stop_on_error and is_write_request(child.tag):
                break
        reads = [c for c in plan if not is_write_request(c.tag)]

        read_answers: list[etree._Element] = []
        if reads:
            sub = copy.deepcopy(tree)
            sub_msgs = sub.getroot().find("QBXMLMsgsRq")
            assert sub_msgs is not None  # a copy of the tree whose QBXMLMsgsRq was read above
            keep = {id(c) for c in reads}
            for original, clone in zip(
                children, [c for c in sub_msgs if isinstance(c.tag, str)], strict=True
            ):
                if id(original) not in keep:
                    sub_msgs.remove(clone)
            answer = quickbooks.process(etree.tostring(sub, encoding="unicode"))
            answer_root = xmlsafe.parse(answer, what="the qbXML response")
            rs = answer_root.find("QBXMLMsgsRs")
            read_answers = [c for c in (rs if rs is not None else []) if isinstance(c.tag, str)]

        out = etree.Element("QBXML")
        out_msgs = etree.SubElement(out, "QBXMLMsgsRs")
        pending = iter(read_answers)
        for child in plan:
            if is_write_request(child.tag):
                refused = etree.SubElement(out_msgs, child.tag[:-2] + "Rs")
                request_id = child.get("requestID")
                if request_id is not None:
                    refused.set("requestID", request_id)
                refused.set("statusCode", str(STATUS_INSUFFICIENT_PERMISSION))
                refused.set("statusSeverity", "Error")
                refused.set("statusMessage", MESSAGE_INSUFFICIENT_PERMISSION)
            else:
                answer_rs = next(pending, None)
                if answer_rs is None:
                    break
                out_msgs.append(answer_rs)
        body = etree.tostring(out, encoding="unicode")
        refused_names = ", ".join(c.tag for c in plan if is_write_request(c.tag))
        return (
            f'<?xml version="1.0" ?>\n{body}',
            f"IsReadOnly: refused {refused_names} with statusCode {STATUS_INSUFFICIENT_PERMISSION}",
        )
