"""Running a session's plan (``connector.plan``): which qbXML request comes next, and what
a response means for the app and the store.

The plan is a queue of work items kept in the ticket's state (JSON in the store), so each
callback is one step: load state, do one thing, save state, in one transaction. Items come
in dependency order (a request must never reference a record QuickBooks does not have yet:
status 3140, QBWC-FACTS.md).

One request per sendRequestXML keeps progress honest and lets a failure stop exactly one
record.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from connector.app_client import AppApiError, AppClient
from connector.clock import Clock
from connector.plan import FEED_CURSOR, State
from connector.qbxml import requests as rq
from connector.qbxml.responses import ResponseStatus, text_of
from connector.settings import ConnectorSettings
from connector.store import Attempt, Mapping, Store

log = logging.getLogger("connector.sync")

#: QuickBooks name fields: CustomerAdd Name max 41, InvoiceAdd RefNumber max 11 (qbxml130).
CUSTOMER_NAME_MAX = 41
REF_NUMBER_MAX = 11
PAYMENT_CURSOR = "ReceivePayment.TimeModified"
#: Requests whose outcome is in doubt when their answer is lost.
ADD_REQUESTS = {"CustomerAddRq", "InvoiceAddRq", "ReceivePaymentAddRq"}
DELETION_CURSOR = "TxnDeleted.ReceivePayment.TimeDeleted"
#: ReceivePaymentAdd RefNumber max length (qbxml130).
REF_NUMBER_MAX_PAYMENT = 20
#: Work item kind -> the app collection of its record, and its mapping entity.
COLLECTION_OF = {
    "customer": "customers",
    "customer_mod": "customers",
    "invoice": "invoices",
    "invoice_mod": "invoices",
    "invoice_delete": "invoices",
    "payment_push": "payments",
    "payment_change": "payments",
}
ENTITY_OF = {
    "customer": "customer",
    "customer_mod": "customer",
    "invoice": "invoice",
    "invoice_mod": "invoice",
    "invoice_delete": "invoice",
    "payment_push": "payment",
    "payment_change": "payment",
}
#: 'The provided edit sequence "N" is out-of-date.' (QBWC-FACTS.md).
STALE_EDIT_SEQUENCE = 3200
#: 'Object "ID" specified in the request cannot be found.' (QBWC-FACTS.md).
OBJECT_NOT_FOUND = 3120
#: Lock and save errors: nothing was written, a resend is safe (QBWC-FACTS.md).
TRANSIENT_STATUS = {3170, 3175, 3176, 3180}
MAX_TRANSIENT_RETRIES = 2


class SkipItem(Exception):
    """A work item that cannot be sent; the record is marked failed with this message."""


class AlreadyInQuickBooks(Exception):
    """The record is mapped already (its Add succeeded before): never send it twice."""


class SessionSync:
    """Runs one session's plan; holds no state of its own beyond the injected services."""

    def __init__(
        self,
        settings: ConnectorSettings,
        store: Store,
        app: AppClient,
        clock: Clock,
        *,
        company: str,
        ticket: str,
    ) -> None:
        self.settings = settings
        self.store = store
        self.app = app
        self.clock = clock
        self.company = company
        self.ticket = ticket

    # -- building the next request ------------------------------------------------------

    def next_request(self, state: State, version: rq.QbxmlVersion) -> str | None:
        """The next qbXML request, or None when the plan is done. Updates ``state``."""
        queue: list[dict[str, Any]] = state["queue"]
        while queue:
            item = queue.pop(0)
            state["seq"] = int(state.get("seq", 0)) + 1
            request_id = str(state["seq"])
            try:
                element = self._build(item, request_id)
            except SkipItem as exc:
                self._fail(item, str(exc), request=f"{item['kind']} (not sent)")
                state["done"] = int(state.get("done", 0)) + 1
                continue
            except AlreadyInQuickBooks as exc:
                # The Add went through but the app never heard (app down at the time):
                # finish the app side only.
                self._mark_synced(item, str(exc))
                state["done"] = int(state.get("done", 0)) + 1
                continue
            if element.tag in ADD_REQUESTS:
                # From here until the answer arrives the outcome is unknown (guide p.53:
                # never resend a write blindly); a later session probes before re-adding.
                self.store.mark_in_doubt(
                    self.company, item["kind"], item["app_id"], self.ticket, self._at()
                )
            state["pending"] = {**item, "request_id": request_id}
            return rq.render_request(element, version=version)
        state["pending"] = None
        if state.get("feed_cursor"):
            self.store.set_cursor(self.company, FEED_CURSOR, state.pop("feed_cursor"))
        return None

    def _build(self, item: dict[str, Any], request_id: str) -> etree._Element:
        kind = item["kind"]
        try:
            if kind == "customer":
                return self._customer_add(item, request_id)
            if kind == "service_item":
                return rq.item_service_query_rq(
                    request_id, full_name=self.settings.default_service_item
                )
            if kind == "service_item_add":
                return rq.item_service_add_rq(
                    request_id,
                    name=self.settings.default_service_item,
                    description="Field-service work (created by the connector)",
                )
            if kind == "invoice":
                return self._invoice_add(item, request_id)
            if kind == "customer_mod":
                return self._customer_mod(item, request_id)
            if kind == "invoice_mod":
                return self._invoice_mod(item, request_id)
            if kind == "invoice_delete":
                mapping = self._mapped(item)
                return rq.txn_del_rq(request_id, txn_type="Invoice", txn_id=mapping.qb_id)
            if kind == "refresh":
                return self._refresh(item, request_id)
            if kind == "payment_change":
                return self._payment_change(item, request_id)
            if kind == "payment_method":
                return rq.payment_method_query_rq(request_id, full_name=item["name"])
            if kind == "payment_method_add":
                return rq.payment_method_add_rq(request_id, name=item["name"])
            if kind == "payment_push":
                return self._payment_add(item, request_id)
            if kind == "payment_deletions":
                return rq.txn_deleted_query_rq(
                    request_id,
                    txn_types=["ReceivePayment"],
                    from_deleted=self.store.get_cursor(self.company, DELETION_CURSOR),
                )
            if kind == "payments":
                return rq.receive_payment_query_rq(
                    request_id,
                    from_modified=self.store.get_cursor(self.company, PAYMENT_CURSOR),
                    iterator_id=item.get("iterator_id"),
                )
        except AppApiError as exc:
            raise SkipItem(f"app API error: {exc}") from exc
        raise SkipItem(f"unknown work item {kind!r}")

    def _known(self, entity: str, app_id: str) -> None:
        mapping = self.store.mapping_by_app_id(self.company, entity, app_id)
        if mapping is not None:
            raise AlreadyInQuickBooks(mapping.qb_id)

    def _mark_synced(self, item: dict[str, Any], qb_id: str) -> None:
        collection = COLLECTION_OF[item["kind"]]
        try:
            self.app.set_sync(collection, item["app_id"], status="synced", external_id=qb_id)
        except AppApiError as exc:
            log.error("could not mark %s %s synced: %s", item["kind"], item["app_id"], exc)

    def _in_doubt(self, item: dict[str, Any]) -> bool:
        """An earlier session's Add of this record was never answered: probe first."""
        if item.get("probed"):
            return False
        return self.store.is_in_doubt(
            self.company, item["kind"], item["app_id"], besides_ticket=self.ticket
        )

    def _customer_add(self, item: dict[str, Any], request_id: str) -> etree._Element:
        app_id = item["app_id"]
        self._known("customer", app_id)
        customer = self.app.get("customers", app_id)
        name = str(customer.get("name") or "").strip()
        if not name:
            raise SkipItem("customer has no name")
        if len(name) > CUSTOMER_NAME_MAX:
            raise SkipItem(f"customer name longer than {CUSTOMER_NAME_MAX} characters")
        if self._in_doubt(item):
            item["probe"] = True
            return rq.customer_query_rq(request_id, full_name=name)
        return rq.customer_add_rq(
            request_id,
            name=name,
            email=str(customer.get("email") or ""),
            phone=str(customer.get("phone") or ""),
        )

    def _invoice_add(self, item: dict[str, Any], request_id: str) -> etree._Element:
        app_id = item["app_id"]
        self._known("invoice", app_id)
        invoice = self.app.get("invoices", app_id)
        customer_id = str(invoice.get("customer_id") or "")
        mapping = self.store.mapping_by_app_id(self.company, "customer", customer_id)
        if mapping is None:
            # Refused until its customer is synced (BEHAVIORS.md IVC-09).
            raise SkipItem(f"customer {customer_id} is not synced to QuickBooks yet")
        number = str(invoice.get("number") or "")
        if len(number) > REF_NUMBER_MAX:
            raise SkipItem(f"invoice number longer than {REF_NUMBER_MAX} characters")
        if self._in_doubt(item) and number:
            item["probe"] = True
            item["customer_list_id"] = mapping.qb_id
            return rq.invoice_query_rq(request_id, ref_number=number)
        return rq.invoice_add_rq(
            request_id,
            customer_list_id=mapping.qb_id,
            lines=self._lines(invoice),
            txn_date=str(invoice.get("date") or invoice.get("created_at") or "")[:10],
            ref_number=number,
            due_date=str(invoice.get("due_date") or "")[:10],
        )

    def _lines(self, invoice: dict[str, Any]) -> list[rq.InvoiceLine]:
        """App invoice lines on the one configured service item."""
        lines = []
        for line in invoice.get("lines") or []:
            try:
                lines.append(
                    rq.InvoiceLine(
                        item_full_name=self.settings.default_service_item,
                        description=str(line.get("description") or ""),
                        quantity=Decimal(str(line.get("quantity", "1"))),
                        rate=Decimal(str(line.get("rate", line.get("amount", "0")))),
                        amount=Decimal(str(line.get("amount", "0"))),
                        taxable=line.get("taxable"),
                    )
                )
            except InvalidOperation:
                raise SkipItem(f"invoice line has a non-numeric amount: {line!r}") from None
        return lines

    def _mapped(self, item: dict[str, Any]) -> Mapping:
        mapping = self.store.mapping_by_app_id(
            self.company, ENTITY_OF[item["kind"]], item["app_id"]
        )
        if mapping is None:
            raise SkipItem("not in QuickBooks (no mapping)")
        return mapping

    def _customer_mod(self, item: dict[str, Any], request_id: str) -> etree._Element:
        mapping = self._mapped(item)
        customer = self.app.get("customers", item["app_id"])
        name = str(customer.get("name") or "").strip()
        if not name or len(name) > CUSTOMER_NAME_MAX:
            raise SkipItem(f"customer name must be 1-{CUSTOMER_NAME_MAX} characters")
        return rq.customer_mod_rq(
            request_id,
            list_id=mapping.qb_id,
            edit_sequence=mapping.edit_sequence,
            name=name,
            # Archived in the app = inactive in QuickBooks (names with history stay).
            is_active=not customer.get("archived"),
            email=str(customer.get("email") or ""),
            phone=str(customer.get("phone") or ""),
        )

    def _invoice_mod(self, item: dict[str, Any], request_id: str) -> etree._Element:
        mapping = self._mapped(item)
        invoice = self.app.get("invoices", item["app_id"])
        if invoice.get("status") in ("void", "voided"):
            item["void"] = True
            return rq.txn_void_rq(request_id, txn_type="Invoice", txn_id=mapping.qb_id)
        customer_id = str(invoice.get("customer_id") or "")
        customer = self.store.mapping_by_app_id(self.company, "customer", customer_id)
        if customer is None:
            raise SkipItem(f"customer {customer_id} is not synced to QuickBooks yet")
        number = str(invoice.get("number") or "")
        if len(number) > REF_NUMBER_MAX:
            raise SkipItem(f"invoice number longer than {REF_NUMBER_MAX} characters")
        return rq.invoice_mod_rq(
            request_id,
            txn_id=mapping.qb_id,
            edit_sequence=mapping.edit_sequence,
            customer_list_id=customer.qb_id,
            lines=self._lines(invoice),
            txn_date=str(invoice.get("date") or "")[:10],
            ref_number=number,
            due_date=str(invoice.get("due_date") or "")[:10],
        )

    def _payment_change(self, item: dict[str, Any], request_id: str) -> etree._Element:
        """A synced payment changed in the app. QuickBooks cannot void a received payment
        through the SDK (TxnVoid refuses it), so it is deleted; an edited payment is then
        added again with its new details (BEHAVIORS.md PAY-05, PAY-16)."""
        mapping = self._mapped(item)
        try:
            payment = self.app.get("payments", item["app_id"])
        except AppApiError as exc:
            if exc.status != 404:
                raise
            payment = {"status": "deleted"}
        item["readd"] = payment.get("status", "active") == "active"
        item["mode"] = str(payment.get("mode") or "")
        return rq.txn_del_rq(request_id, txn_type="ReceivePayment", txn_id=mapping.qb_id)

    def _refresh(self, item: dict[str, Any], request_id: str) -> etree._Element:
        """Re-read a record whose EditSequence was stale (status 3200)."""
        mapping = self._mapped(item["for"])
        if ENTITY_OF[item["for"]["kind"]] == "customer":
            return rq.customer_query_by_id_rq(request_id, list_id=mapping.qb_id)
        return rq.invoice_query_by_id_rq(request_id, txn_id=mapping.qb_id)

    def _payment_add(self, item: dict[str, Any], request_id: str) -> etree._Element:
        app_id = item["app_id"]
        known = self.store.mapping_by_app_id(self.company, "payment", app_id)
        if known is not None:
            raise AlreadyInQuickBooks(known.qb_id)
        payment = self.app.get("payments", app_id)
        applications = []
        customer_id = str(payment.get("customer_id") or "")
        for application in payment.get("applications") or []:
            invoice_id = str(application.get("invoice_id"))
            mapping = self.store.mapping_by_app_id(self.company, "invoice", invoice_id)
            if mapping is None:
                raise SkipItem(f"invoice {invoice_id} is not synced to QuickBooks yet")
            applications.append(rq.Application(mapping.qb_id, application.get("amount", "0")))
            if not customer_id:
                customer_id = str(self.app.get("invoices", invoice_id).get("customer_id") or "")
        customer = self.store.mapping_by_app_id(self.company, "customer", customer_id)
        if customer is None:
            raise SkipItem(f"customer {customer_id or '?'} is not synced to QuickBooks yet")
        memo = payment_marker(app_id)
        if self._in_doubt(item):
            item["probe"] = True
            item["memo"] = memo
            return rq.receive_payment_query_for_customer_rq(
                request_id, customer_list_id=customer.qb_id
            )
        reference = str(payment.get("reference") or "")
        return rq.receive_payment_add_rq(
            request_id,
            customer_list_id=customer.qb_id,
            total=payment.get("amount", "0"),
            applications=applications,
            txn_date=str(payment.get("date") or "")[:10],
            ref_number=reference[:REF_NUMBER_MAX_PAYMENT],
            payment_method=str(payment.get("mode") or ""),
            memo=memo,
        )

    # -- applying a response ------------------------------------------------------------

    def apply(self, state: State, rs: ResponseStatus) -> None:
        """Apply the response to the pending item; queue follow-up work. Updates ``state``."""
        item = state["pending"]
        state["pending"] = None
        state["done"] = int(state.get("done", 0)) + 1
        kind = item["kind"]
        if kind in ("customer", "invoice") and item.get("probe"):
            self._apply_probe(state, item, rs)
        elif kind == "customer":
            self._apply_add(state, item, rs, entity="customer", id_tag="ListID")
        elif kind == "invoice":
            self._apply_add(state, item, rs, entity="invoice", id_tag="TxnID")
        elif kind == "service_item":
            # A FullName that matches nothing answers 500 "required element not found"
            # (QBWC-FACTS.md, status codes); 1 "no match" is accepted too.
            if not rs.rets and rs.status_code in (0, 1, 500):
                self._prepend(state, {"kind": "service_item_add"})
            elif not rs.ok:
                self._fail_invoices(state, f"service item query failed: {rs.error_text()}")
        elif kind == "service_item_add":
            if not rs.ok:
                self._fail_invoices(state, f"service item add failed: {rs.error_text()}")
        elif kind == "payment_change":
            self._apply_payment_change(state, item, rs)
        elif kind in ("customer_mod", "invoice_mod", "invoice_delete"):
            self._apply_change(state, item, rs)
        elif kind == "refresh":
            self._apply_refresh(state, item, rs)
        elif kind == "payment_push" and item.get("probe"):
            self._apply_probe(state, item, rs)
        elif kind == "payment_push":
            self._apply_add(state, item, rs, entity="payment", id_tag="TxnID")
        elif kind == "payment_method":
            if not rs.rets and rs.status_code in (0, 1, 500):
                self._prepend(state, {"kind": "payment_method_add", "name": item["name"]})
        elif kind == "payment_method_add":
            if not rs.ok:
                log.warning("payment method %r not added: %s", item["name"], rs.error_text())
        elif kind == "payments":
            self._apply_payments(state, item, rs)
        elif kind == "payment_deletions":
            self._apply_deletions(rs)

    def fail_pending(self, item: dict[str, Any], message: str) -> None:
        """QuickBooks did not process the pending request: record it on its record."""
        if item["kind"] in COLLECTION_OF:
            self.store.clear_in_doubt(self.company, item["kind"], item["app_id"])
        request = {
            "customer": "CustomerAddRq",
            "invoice": "InvoiceAddRq",
            "payment_push": "ReceivePaymentAddRq",
        }.get(item["kind"], item["kind"])
        self._fail(item, message, request=request)

    @staticmethod
    def _prepend(state: State, item: dict[str, Any]) -> None:
        state["queue"].insert(0, item)
        state["total"] = int(state.get("total", 0)) + 1

    def _fail_invoices(self, state: State, message: str) -> None:
        remaining = []
        for queued in state["queue"]:
            if queued["kind"] == "invoice":
                self._fail(queued, message, request="InvoiceAddRq (not sent)")
                state["done"] = int(state.get("done", 0)) + 1
            else:
                remaining.append(queued)
        state["queue"] = remaining

    def _apply_probe(self, state: State, item: dict[str, Any], rs: ResponseStatus) -> None:
        """Answer to the query sent instead of re-adding a record in doubt."""
        kind, app_id = item["kind"], item["app_id"]
        entity = ENTITY_OF[kind]
        request = rs.tag.removesuffix("Rs") + "Rq"
        id_tag = "ListID" if entity == "customer" else "TxnID"
        if not rs.ok:
            self._fail(item, rs.error_text(), request=request, status_code=rs.status_code)
            return
        found = rs.rets
        if entity == "invoice":
            # RefNumber is not unique in QuickBooks: only the one for our customer counts.
            owner = item["customer_list_id"]
            found = [r for r in found if text_of(r, "CustomerRef/ListID") == owner]
        if entity == "payment":
            found = [r for r in found if text_of(r, "Memo") == item["memo"]]
        self.store.clear_in_doubt(self.company, kind, app_id)
        if not found:
            # The earlier Add never happened: now it is safe to send it.
            self._prepend(state, {"kind": kind, "app_id": app_id, "probed": True})
            return
        qb_id = text_of(found[0], id_tag)
        edit_sequence = text_of(found[0], "EditSequence")
        self.store.put_mapping(self.company, entity, app_id, qb_id, edit_sequence)
        note = "found after a lost answer"
        self._attempt(entity, app_id, request, "adopted", rs.status_code, note)
        self._mark_synced(item, qb_id)

    def _apply_change(self, state: State, item: dict[str, Any], rs: ResponseStatus) -> None:
        """Answer to a Mod, TxnVoid or TxnDel of a record QuickBooks already has."""
        kind, app_id = item["kind"], item["app_id"]
        entity = ENTITY_OF[kind]
        request = rs.tag.removesuffix("Rs") + "Rq"
        if rs.status_code == STALE_EDIT_SEQUENCE and not item.get("refreshed"):
            # Someone changed it in QuickBooks since our last read. The app is the master of
            # records it created: re-read, then apply again; the overwritten QuickBooks change
            # is recorded, not silently lost (BEHAVIORS.md SYNC-02).
            self._attempt(entity, app_id, request, "conflict", rs.status_code, rs.status_message)
            self._prepend(state, {"kind": "refresh", "for": {**item, "refreshed": True}})
            return
        if not rs.ok:
            self._fail(item, rs.error_text(), request=request, status_code=rs.status_code)
            return
        if kind == "invoice_delete":
            self.store.delete_mapping(self.company, entity, app_id)
            self._attempt(entity, app_id, request, "deleted", rs.status_code, "")
            return
        mapping = self._mapped(item)
        edit_sequence = text_of(rs.rets[0], "EditSequence") if rs.rets else ""
        if edit_sequence:
            self.store.put_mapping(self.company, entity, app_id, mapping.qb_id, edit_sequence)
        outcome = "voided" if item.get("void") else "updated"
        self._attempt(entity, app_id, request, outcome, rs.status_code, rs.status_message)
        self._mark_synced(item, mapping.qb_id)

    def _apply_payment_change(self, state: State, item: dict[str, Any], rs: ResponseStatus) -> None:
        app_id = item["app_id"]
        # 3120: already gone from QuickBooks (deleted there too): the same end state.
        if not rs.ok and rs.status_code != OBJECT_NOT_FOUND:
            self._fail(item, rs.error_text(), request="TxnDelRq", status_code=rs.status_code)
            return
        self.store.delete_mapping(self.company, "payment", app_id)
        outcome = "replaced" if item.get("readd") else "deleted"
        self._attempt("payment", app_id, "TxnDelRq", outcome, rs.status_code, rs.status_message)
        if item.get("readd"):
            self._prepend(state, {"kind": "payment_push", "app_id": app_id, "probed": True})
            if item.get("mode"):
                self._prepend(state, {"kind": "payment_method", "name": item["mode"]})

    def _apply_refresh(self, state: State, item: dict[str, Any], rs: ResponseStatus) -> None:
        target = item["for"]
        if not rs.ok or not rs.rets:
            self._fail(target, f"re-read failed: {rs.error_text()}", request=rs.tag[:-2] + "Rq")
            return
        mapping = self._mapped(target)
        edit_sequence = text_of(rs.rets[0], "EditSequence")
        entity = ENTITY_OF[target["kind"]]
        self.store.put_mapping(self.company, entity, target["app_id"], mapping.qb_id, edit_sequence)
        self._prepend(state, dict(target))

    def _apply_add(
        self, state: State, item: dict[str, Any], rs: ResponseStatus, *, entity: str, id_tag: str
    ) -> None:
        app_id = item["app_id"]
        request = rs.tag.removesuffix("Rs") + "Rq"
        # The answer arrived: whatever it says, the outcome is no longer in doubt.
        self.store.clear_in_doubt(self.company, item["kind"], app_id)
        retries = int(item.get("retries", 0))
        if rs.status_code in TRANSIENT_STATUS and retries < MAX_TRANSIENT_RETRIES:
            # Lock and save errors leave nothing written; safe to resend (QBWC-FACTS.md).
            self._attempt(entity, app_id, request, "retry", rs.status_code, rs.status_message)
            retry = {"kind": item["kind"], "app_id": app_id, "retries": retries + 1}
            retry["probed"] = True
            state["queue"].append(retry)
            state["total"] = int(state.get("total", 0)) + 1
            return
        if not rs.ok or not rs.rets:
            self._fail(item, rs.error_text(), request=request, status_code=rs.status_code)
            return
        ret = rs.rets[0]
        qb_id = text_of(ret, id_tag)
        self.store.put_mapping(self.company, entity, app_id, qb_id, text_of(ret, "EditSequence"))
        self._attempt(entity, app_id, request, "synced", rs.status_code, rs.status_message)
        # The QuickBooks side is done and recorded; an app failure here must not undo that
        # (the next session finishes the app side: AlreadyInQuickBooks).
        self._mark_synced(item, qb_id)

    # -- QuickBooks -> app payments -----------------------------------------------------

    def _apply_payments(self, state: State, item: dict[str, Any], rs: ResponseStatus) -> None:
        pull = state.setdefault("payment_pull", {"max_seen": None, "held_min": None})
        if rs.no_match:
            rets: list[etree._Element] = []
        elif not rs.ok:
            state["error"] = f"ReceivePaymentQuery failed: {rs.error_text()}"
            return
        else:
            rets = rs.rets
        modes = self._payment_modes()
        for ret in rets:
            modified = text_of(ret, "TimeModified")
            held = not self._pull_payment(ret, modes)
            if modified:
                pull["max_seen"] = _later(pull["max_seen"], modified)
                if held:
                    pull["held_min"] = _earlier(pull["held_min"], modified)
        if rs.iterator_remaining > 0 and rs.iterator_id:
            self._prepend(state, {"kind": "payments", "iterator_id": rs.iterator_id})
            return
        # The filter is inclusive, so the next pull re-reads the boundary record (skipped as
        # already mapped). A held payment keeps the cursor at its own time so it is retried
        # (nothing lost: ARCHITECTURE.md principles).
        new_cursor = pull["held_min"] or pull["max_seen"]
        if new_cursor:
            self.store.set_cursor(self.company, PAYMENT_CURSOR, new_cursor)

    def _apply_deletions(self, rs: ResponseStatus) -> None:
        """Payments deleted in QuickBooks are marked deleted in the app (BEHAVIORS.md PAY-11)."""
        if not rs.ok:
            log.warning("TxnDeletedQuery failed: %s", rs.error_text())
            return
        latest: str | None = self.store.get_cursor(self.company, DELETION_CURSOR)
        for ret in rs.rets:
            txn_id = text_of(ret, "TxnID")
            deleted_at = text_of(ret, "TimeDeleted")
            mapping = self.store.mapping_by_qb_id(self.company, "payment", txn_id)
            if mapping is not None:
                try:
                    self.app.delete("payments", mapping.app_id)
                except AppApiError as exc:
                    if exc.status is None or exc.status >= 500:
                        log.error("payment %s deletion not applied: %s", mapping.app_id, exc)
                        continue  # keep the mapping: the next session tries again
                self.store.delete_mapping(self.company, "payment", mapping.app_id)
                self._attempt("payment", txn_id, "TxnDeletedQueryRq", "deleted", 0, "")
            if deleted_at:
                latest = _later(latest, deleted_at)
        if latest:
            self.store.set_cursor(self.company, DELETION_CURSOR, latest)

    def _payment_modes(self) -> set[str] | None:
        try:
            return {str(m.get("name", "")).lower() for m in self.app.payment_modes()}
        except AppApiError:
            return None  # the app has no mode list: take the name as given

    def _pull_payment(self, ret: etree._Element, modes: set[str] | None) -> bool:
        """Create one QuickBooks payment in the app; False when it is held as failed."""
        txn_id = text_of(ret, "TxnID")
        if not txn_id:
            return True
        known = self.store.mapping_by_qb_id(self.company, "payment", txn_id)
        if known is not None:
            if known.edit_sequence == text_of(ret, "EditSequence"):
                return True  # unchanged since the last sync (the inclusive cursor re-reads it)
            return self._update_pulled_payment(ret, known)
        mode = text_of(ret, "PaymentMethodRef/FullName")
        if mode and modes is not None and mode.lower() not in modes:
            # Synced only once its payment mode exists in the app (BEHAVIORS.md PAY-01).
            return self._hold(txn_id, f"payment mode {mode!r} does not exist in the app")
        applications = self._applications_of(ret)
        if isinstance(applications, str):
            return self._hold(txn_id, applications)
        body: dict[str, Any] = {
            "amount": rq.money(text_of(ret, "TotalAmount", "0")),
            "mode": mode,
            "applications": applications,
            "origin": "qbd",
            "sync": {"status": "synced", "external_id": txn_id, "error": None},
        }
        # Optional fields are left out rather than sent empty (the app validates them).
        for field, path in (("date", "TxnDate"), ("reference", "RefNumber")):
            if text_of(ret, path):
                body[field] = text_of(ret, path)
        customer = self.store.mapping_by_qb_id(
            self.company, "customer", text_of(ret, "CustomerRef/ListID")
        )
        if customer is not None:
            body["customer_id"] = customer.app_id
        try:
            # The TxnID as Idempotency-Key: a replay after a lost answer creates nothing new.
            created = self.app.create_payment(body, idempotency_key=txn_id)
            app_id = str(created["id"])
            if (created.get("sync") or {}).get("status") != "synced":
                self.app.set_sync("payments", app_id, status="synced", external_id=txn_id)
        except (AppApiError, KeyError) as exc:
            return self._hold(txn_id, f"app refused the payment: {exc}")
        self.store.put_mapping(
            self.company, "payment", app_id, txn_id, text_of(ret, "EditSequence")
        )
        self._attempt("payment", txn_id, "ReceivePaymentQueryRq", "synced", 0, "")
        return True

    def _applications_of(self, ret: etree._Element) -> list[dict[str, str]] | str:
        """AppliedToTxnRet as app applications, or the reason they cannot be mapped."""
        applications = []
        for applied in ret.iter("AppliedToTxnRet"):
            qb_invoice = text_of(applied, "TxnID")
            mapping = self.store.mapping_by_qb_id(self.company, "invoice", qb_invoice)
            if mapping is None:
                return f"applied to QuickBooks invoice {qb_invoice} unknown"
            amount = rq.money(text_of(applied, "Amount", "0"))
            applications.append({"invoice_id": mapping.app_id, "amount": amount})
        return applications

    def _update_pulled_payment(self, ret: etree._Element, known: Mapping) -> bool:
        """A synced payment changed in QuickBooks: voided (PAY-06) or edited (PAY-10)."""
        txn_id, edit_sequence = text_of(ret, "TxnID"), text_of(ret, "EditSequence")
        voided = text_of(ret, "Memo").startswith("VOID:") or (
            rq.money(text_of(ret, "TotalAmount", "0")) == "0.00"
            and ret.find("AppliedToTxnRet") is None
        )
        try:
            if voided:
                # A person voided it in the QuickBooks UI (the SDK cannot void payments).
                self.app.void_payment(
                    known.app_id,
                    reason="voided in QuickBooks",
                    idempotency_key=f"void-{txn_id}-{edit_sequence}",
                )
            else:
                applications = self._applications_of(ret)
                if isinstance(applications, str):
                    return self._hold(txn_id, applications)
                changes: dict[str, Any] = {
                    "amount": rq.money(text_of(ret, "TotalAmount", "0")),
                    "applications": applications,
                }
                for field, path in (
                    ("mode", "PaymentMethodRef/FullName"),
                    ("date", "TxnDate"),
                    ("reference", "RefNumber"),
                ):
                    if text_of(ret, path):
                        changes[field] = text_of(ret, path)
                self.app.patch("payments", known.app_id, changes)
        except AppApiError as exc:
            return self._hold(txn_id, f"app refused the change: {exc}")
        self.store.put_mapping(self.company, "payment", known.app_id, txn_id, edit_sequence)
        outcome = "voided" if voided else "updated"
        self._attempt("payment", txn_id, "ReceivePaymentQueryRq", outcome, 0, "")
        return True

    def _hold(self, txn_id: str, message: str) -> bool:
        log.warning("payment %s held: %s", txn_id, message)
        self._attempt("payment", txn_id, "ReceivePaymentQueryRq", "failed", None, message)
        return False

    # -- status and history ---------------------------------------------------------------

    def _fail(
        self,
        item: dict[str, Any],
        message: str,
        *,
        request: str,
        status_code: int | None = None,
    ) -> None:
        entity = str(item["kind"])
        app_id = str(item.get("app_id", ""))
        self._attempt(entity, app_id, request, "failed", status_code, message)
        collection = COLLECTION_OF.get(entity)
        if collection and app_id:
            try:
                self.app.set_sync(collection, app_id, status="failed", error=message)
            except AppApiError as exc:
                log.error("could not mark %s %s failed: %s", entity, app_id, exc)

    def _at(self) -> str:
        return self.clock.now().isoformat()

    def _attempt(
        self,
        entity: str,
        record_id: str,
        request: str,
        outcome: str,
        status_code: int | None,
        message: str,
    ) -> None:
        self.store.record_attempt(
            self.company,
            Attempt(
                entity=entity,
                record_id=record_id,
                at=self._at(),
                ticket=self.ticket,
                request=request,
                outcome=outcome,
                status_code=status_code,
                status_message=message,
            ),
        )


def payment_marker(app_id: str) -> str:
    """The Memo that identifies a payment this connector wrote (found again after a lost
    answer: ReceivePayment has no other field the connector owns and can filter on)."""
    return f"App payment {app_id}"


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _later(current: str | None, candidate: str) -> str:
    if current is None:
        return candidate
    try:
        return candidate if _parse_time(candidate) > _parse_time(current) else current
    except ValueError:
        return max(current, candidate)


def _earlier(current: str | None, candidate: str) -> str:
    if current is None:
        return candidate
    try:
        return candidate if _parse_time(candidate) < _parse_time(current) else current
    except ValueError:
        return min(current, candidate)
