"""The JSON HTTP API: a thin layer that turns requests into backend calls.

The route table below is the single source of the served endpoints and of the generated
OpenAPI description. Handlers only translate: parse the body with its pydantic model,
call the backend, render the answer through its response model.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound as RouteNotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import _schemas as s
from ._errors import Conflict, FieldServiceError, InvalidRequest
from ._faults import FaultPlan, SimulatedAnswerLost, SimulatedTimeout
from ._openapi import openapi_document
from ._route import IDEMPOTENCY_HEADER, PREFIX, SYNC_ORIGIN_HEADER, Call, Route

if TYPE_CHECKING:
    from ._backend import FieldServiceBackend

# --- handlers ----------------------------------------------------------------------------


def _filtered(
    records: Iterable[Any], args: dict[str, str], **getters: Callable[[Any], Any]
) -> list[Any]:
    """Keep records whose every filtered attribute equals the query parameter."""
    out = []
    for record in records:
        if all(
            name not in args or str(getter(record)) == args[name]
            for name, getter in getters.items()
        ):
            out.append(record)
    return out


def _ext(record: Any) -> Any:
    return record.sync.external_id


def _fields(body: BaseModel) -> dict[str, Any]:
    fields_ = body.model_dump(exclude_unset=True, exclude={"sync"})
    if type(body).__name__.endswith("Patch"):
        clearable: frozenset[str] = getattr(body, "CLEARABLE", frozenset())
        for name, value in fields_.items():
            if value is None and name not in clearable:
                raise InvalidRequest(f"{name} cannot be null")
    return fields_


def _sync(body: Any) -> dict[str, Any] | None:
    sync = getattr(body, "sync", None)
    return None if sync is None else _sync_fields(sync)


def _sync_fields(sync: s.SyncIn) -> dict[str, Any]:
    return sync.model_dump(include=sync.model_fields_set | {"status"})


def list_customers(c: Call) -> Any:
    rows = _filtered(c.backend.customers.values(), c.args, external_id=_ext, name=lambda r: r.name)
    return [r.to_dict() for r in rows]


def create_customer(c: Call) -> Any:
    return c.backend.create_customer(sync=_sync(c.body), **_fields(c.body)).to_dict()


def get_customer(c: Call) -> Any:
    return c.backend.customer(c.path["id"]).to_dict()


def patch_customer(c: Call) -> Any:
    return c.backend.update_customer(c.path["id"], _fields(c.body)).to_dict()


def delete_customer(c: Call) -> Any:
    return c.backend.delete_customer(c.path["id"]).to_dict()


def list_modes(c: Call) -> Any:
    return [m.to_dict() for m in c.backend.payment_modes.values()]


def create_mode(c: Call) -> Any:
    return c.backend.create_payment_mode(c.body.name).to_dict()


def _invoice_fields(body: BaseModel) -> dict[str, Any]:
    fields_ = _fields(body)
    if "lines" in fields_:
        fields_["lines"] = [
            line.model_dump(exclude_unset=True)
            for line in body.lines  # type: ignore[attr-defined]
        ]
    return fields_


def list_invoices(c: Call) -> Any:
    b = c.backend
    rows = _filtered(
        b.invoices.values(),
        c.args,
        external_id=_ext,
        customer_id=lambda r: r.customer_id,
        number=lambda r: r.number,
        status=b.invoice_status,
    )
    return [b.invoice_dict(r) for r in rows]


def create_invoice(c: Call) -> Any:
    fields_ = _invoice_fields(c.body)
    if "date" in fields_:
        fields_["date_"] = fields_.pop("date")
    invoice = c.backend.create_invoice(sync=_sync(c.body), **fields_)
    return c.backend.invoice_dict(invoice)


def get_invoice(c: Call) -> Any:
    return c.backend.invoice_dict(c.backend.invoice(c.path["id"]))


def patch_invoice(c: Call) -> Any:
    invoice = c.backend.update_invoice(c.path["id"], _invoice_fields(c.body))
    return c.backend.invoice_dict(invoice)


def delete_invoice(c: Call) -> Any:
    invoice = c.backend.delete_invoice(c.path["id"])
    return c.backend.invoice_dict(invoice)


def _payment_fields(body: BaseModel) -> dict[str, Any]:
    fields_ = _fields(body)
    if "applications" in fields_:
        fields_["applications"] = [
            a.model_dump()
            for a in body.applications  # type: ignore[attr-defined]
        ]
    return fields_


def list_payments(c: Call) -> Any:
    rows = _filtered(
        c.backend.payments.values(),
        c.args,
        external_id=_ext,
        customer_id=lambda r: r.customer_id,
        status=lambda r: r.status,
        origin=lambda r: r.origin,
    )
    if "invoice_id" in c.args:
        rows = [
            r for r in rows if any(a.invoice_id == c.args["invoice_id"] for a in r.applications)
        ]
    return [r.to_dict() for r in rows]


def create_payment(c: Call) -> Any:
    fields_ = _payment_fields(c.body)
    if "date" in fields_:
        fields_["date_"] = fields_.pop("date")
    return c.backend.create_payment(sync=_sync(c.body), **fields_).to_dict()


def get_payment(c: Call) -> Any:
    return c.backend.payment(c.path["id"]).to_dict()


def patch_payment(c: Call) -> Any:
    return c.backend.update_payment(c.path["id"], _payment_fields(c.body)).to_dict()


def _reason(c: Call) -> str | None:
    return None if c.body is None else c.body.reason


def void_payment(c: Call) -> Any:
    return c.backend.void_payment(c.path["id"], reason=_reason(c)).to_dict()


def fail_payment(c: Call) -> Any:
    return c.backend.fail_payment(c.path["id"], reason=_reason(c) or "payment failed").to_dict()


def delete_payment(c: Call) -> Any:
    return c.backend.delete_payment(c.path["id"]).to_dict()


def get_sync(c: Call) -> Any:
    return c.backend.record_for(c.path["collection"], c.path["id"]).sync.to_dict()


def put_sync(c: Call) -> Any:
    return c.backend.put_sync(c.path["collection"], c.path["id"], _sync_fields(c.body))


def sync_now(c: Call) -> Any:
    return c.backend.request_sync(c.path["collection"], c.path["id"])


def unsync(c: Call) -> Any:
    return c.backend.request_unsync(c.path["collection"], c.path["id"])


def list_changes(c: Call) -> Any:
    return c.backend.changes_since(c.args.get("since"), c.args.get("limit"))


def get_settings(c: Call) -> Any:
    return c.backend.settings.to_dict()


def patch_settings(c: Call) -> Any:
    return c.backend.update_settings(_fields(c.body)).to_dict()


def list_categories(c: Call) -> Any:
    return [r.to_dict() for r in c.backend.categories.values()]


def create_category(c: Call) -> Any:
    return c.backend.create_category(c.body.name).to_dict()


def list_locations(c: Call) -> Any:
    return [r.to_dict() for r in c.backend.locations.values()]


def create_location(c: Call) -> Any:
    return c.backend.create_location(c.body.name).to_dict()


def list_products(c: Call) -> Any:
    rows = _filtered(
        c.backend.products.values(),
        c.args,
        external_id=_ext,
        name=lambda r: r.name,
        kind=lambda r: r.kind,
    )
    return [r.to_dict() for r in rows]


def create_product(c: Call) -> Any:
    return c.backend.create_product(_fields(c.body), sync=_sync(c.body)).to_dict()


def get_product(c: Call) -> Any:
    return c.backend.product(c.path["id"]).to_dict()


def patch_product(c: Call) -> Any:
    return c.backend.update_product(c.path["id"], _fields(c.body)).to_dict()


def adjust_product(c: Call) -> Any:
    body = c.body
    return c.backend.adjust_stock(
        c.path["id"],
        body.location_id,
        quantity_difference=body.quantity_difference,
        new_quantity=body.new_quantity,
        reason=body.reason,
    ).to_dict()


def transfer_product(c: Call) -> Any:
    body = c.body
    return c.backend.transfer_stock(
        c.path["id"], body.from_location_id, body.to_location_id, body.quantity, reason=body.reason
    ).to_dict()


def list_movements(c: Call) -> Any:
    rows = _filtered(
        c.backend.movements.values(),
        c.args,
        product_id=lambda r: r.product_id,
        location_id=lambda r: r.location_id,
    )
    return [r.to_dict() for r in rows]


def list_sync_issues(c: Call) -> Any:
    return [i.to_dict() for i in c.backend.sync_issues.by_key.values()]


def put_sync_issue(c: Call) -> Any:
    body: s.SyncIssueIn = c.body
    return c.backend.sync_issues.put(c.path["key"], **body.model_dump()).to_dict()


def delete_sync_issue(c: Call) -> Any:
    return c.backend.sync_issues.clear(c.path["key"]).to_dict()


def list_store_credits(c: Call) -> Any:
    rows = _filtered(
        c.backend.store_credits.values(),
        c.args,
        external_id=_ext,
        customer_id=lambda r: r.customer_id,
    )
    return [r.to_dict() for r in rows]


def get_store_credit(c: Call) -> Any:
    return c.backend.record_for("store-credits", c.path["id"]).to_dict()


def create_store_credit(c: Call) -> Any:
    fields_ = _payment_fields(c.body)
    return c.backend.create_store_credit(sync=_sync(c.body), **fields_).to_dict()


def openapi(c: Call) -> Any:
    return openapi_document(ROUTES)


# --- the route table ---------------------------------------------------------------------

V = PREFIX
SYNC_COLLECTIONS = "<collection>"
ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        f"{V}/customers",
        "listCustomers",
        "List customers",
        list_customers,
        response=s.CustomerOut,
        many=True,
        query=("external_id", "name"),
    ),
    Route(
        "POST",
        f"{V}/customers",
        "createCustomer",
        "Create a customer",
        create_customer,
        body=s.CustomerCreate,
        response=s.CustomerOut,
        status=201,
    ),
    Route(
        "GET",
        f"{V}/customers/<id>",
        "getCustomer",
        "Get a customer",
        get_customer,
        response=s.CustomerOut,
    ),
    Route(
        "PATCH",
        f"{V}/customers/<id>",
        "updateCustomer",
        "Edit or archive a customer",
        patch_customer,
        body=s.CustomerPatch,
        response=s.CustomerOut,
    ),
    Route(
        "DELETE",
        f"{V}/customers/<id>",
        "deleteCustomer",
        "Delete a customer that has no invoices, payments or credits",
        delete_customer,
        response=s.CustomerOut,
    ),
    Route(
        "GET",
        f"{V}/payment-modes",
        "listPaymentModes",
        "List payment modes",
        list_modes,
        response=s.PaymentModeOut,
        many=True,
    ),
    Route(
        "POST",
        f"{V}/payment-modes",
        "createPaymentMode",
        "Create a payment mode",
        create_mode,
        body=s.PaymentModeCreate,
        response=s.PaymentModeOut,
        status=201,
    ),
    Route(
        "GET",
        f"{V}/invoices",
        "listInvoices",
        "List invoices",
        list_invoices,
        response=s.InvoiceOut,
        many=True,
        query=("external_id", "customer_id", "number", "status"),
    ),
    Route(
        "POST",
        f"{V}/invoices",
        "createInvoice",
        "Create an invoice",
        create_invoice,
        body=s.InvoiceCreate,
        response=s.InvoiceOut,
        status=201,
    ),
    Route(
        "GET",
        f"{V}/invoices/<id>",
        "getInvoice",
        "Get an invoice",
        get_invoice,
        response=s.InvoiceOut,
    ),
    Route(
        "PATCH",
        f"{V}/invoices/<id>",
        "updateInvoice",
        "Edit or void an invoice",
        patch_invoice,
        body=s.InvoicePatch,
        response=s.InvoiceOut,
    ),
    Route(
        "DELETE",
        f"{V}/invoices/<id>",
        "deleteInvoice",
        "Delete an invoice",
        delete_invoice,
        response=s.InvoiceOut,
    ),
    Route(
        "GET",
        f"{V}/payments",
        "listPayments",
        "List payments",
        list_payments,
        response=s.PaymentOut,
        many=True,
        query=("external_id", "invoice_id", "customer_id", "status", "origin"),
    ),
    Route(
        "POST",
        f"{V}/payments",
        "createPayment",
        "Record a payment",
        create_payment,
        body=s.PaymentCreate,
        response=s.PaymentOut,
        status=201,
    ),
    Route(
        "GET",
        f"{V}/payments/<id>",
        "getPayment",
        "Get a payment",
        get_payment,
        response=s.PaymentOut,
    ),
    Route(
        "PATCH",
        f"{V}/payments/<id>",
        "updatePayment",
        "Edit an active payment",
        patch_payment,
        body=s.PaymentPatch,
        response=s.PaymentOut,
    ),
    Route(
        "DELETE",
        f"{V}/payments/<id>",
        "deletePayment",
        "Mark a payment deleted",
        delete_payment,
        response=s.PaymentOut,
    ),
    Route(
        "POST",
        f"{V}/payments/<id>/void",
        "voidPayment",
        "Void a payment",
        void_payment,
        body=s.StatusReason,
        response=s.PaymentOut,
        body_optional=True,
    ),
    Route(
        "POST",
        f"{V}/payments/<id>/fail",
        "failPayment",
        "Mark a payment failed (a bounced card)",
        fail_payment,
        body=s.StatusReason,
        response=s.PaymentOut,
        body_optional=True,
    ),
    Route(
        "GET",
        f"{V}/{SYNC_COLLECTIONS}/<id>/sync",
        "getSync",
        "Read a record's sync status",
        get_sync,
        response=s.SyncOut,
    ),
    Route(
        "PUT",
        f"{V}/{SYNC_COLLECTIONS}/<id>/sync",
        "putSync",
        "Set a record's sync status (appends to its history; no change-feed entry)",
        put_sync,
        body=s.SyncIn,
        response=s.SyncOut,
    ),
    Route(
        "POST",
        f"{V}/{SYNC_COLLECTIONS}/<id>/sync-now",
        "requestSync",
        "A person's 'sync now' of a not synced, failed or skipped record",
        sync_now,
        response=s.SyncOut,
    ),
    Route(
        "POST",
        f"{V}/{SYNC_COLLECTIONS}/<id>/unsync",
        "requestUnsync",
        "A person's 'unsync' of a synced record",
        unsync,
        response=s.SyncOut,
    ),
    Route(
        "GET",
        f"{V}/changes",
        "listChanges",
        "The change feed",
        list_changes,
        response=s.ChangesOut,
        query=("since", "limit"),
    ),
    Route(
        "GET", f"{V}/settings", "getSettings", "Read settings", get_settings, response=s.SettingsOut
    ),
    Route(
        "PATCH",
        f"{V}/settings",
        "updateSettings",
        "Change settings",
        patch_settings,
        body=s.SettingsPatch,
        response=s.SettingsOut,
    ),
    Route(
        "GET",
        f"{V}/categories",
        "listCategories",
        "List product categories",
        list_categories,
        response=s.NamedOut,
        many=True,
    ),
    Route(
        "POST",
        f"{V}/categories",
        "createCategory",
        "Create a product category",
        create_category,
        body=s.NamedCreate,
        response=s.NamedOut,
        status=201,
    ),
    Route(
        "GET",
        f"{V}/locations",
        "listLocations",
        "List locations",
        list_locations,
        response=s.NamedOut,
        many=True,
    ),
    Route(
        "POST",
        f"{V}/locations",
        "createLocation",
        "Create a location (case-sensitive name)",
        create_location,
        body=s.NamedCreate,
        response=s.NamedOut,
        status=201,
    ),
    Route(
        "GET",
        f"{V}/products",
        "listProducts",
        "List products, parts and services",
        list_products,
        response=s.ProductOut,
        many=True,
        query=("external_id", "name", "kind"),
    ),
    Route(
        "POST",
        f"{V}/products",
        "createProduct",
        "Create a product, part or service",
        create_product,
        body=s.ProductCreate,
        response=s.ProductOut,
        status=201,
    ),
    Route(
        "GET",
        f"{V}/products/<id>",
        "getProduct",
        "Get a product",
        get_product,
        response=s.ProductOut,
    ),
    Route(
        "PATCH",
        f"{V}/products/<id>",
        "updateProduct",
        "Edit a product",
        patch_product,
        body=s.ProductPatch,
        response=s.ProductOut,
    ),
    Route(
        "POST",
        f"{V}/products/<id>/adjust",
        "adjustStock",
        "Set or change stock at one location",
        adjust_product,
        body=s.AdjustmentIn,
        response=s.ProductOut,
    ),
    Route(
        "POST",
        f"{V}/products/<id>/transfer",
        "transferStock",
        "Move stock between locations",
        transfer_product,
        body=s.TransferIn,
        response=s.ProductOut,
    ),
    Route(
        "GET",
        f"{V}/movements",
        "listMovements",
        "The stock movement ledger",
        list_movements,
        response=s.MovementOut,
        many=True,
        query=("product_id", "location_id"),
    ),
    Route(
        "GET",
        f"{V}/store-credits",
        "listStoreCredits",
        "List store credits",
        list_store_credits,
        response=s.StoreCreditOut,
        many=True,
        query=("external_id", "customer_id"),
    ),
    Route(
        "GET",
        f"{V}/store-credits/<id>",
        "getStoreCredit",
        "Get a store credit",
        get_store_credit,
        response=s.StoreCreditOut,
    ),
    Route(
        "POST",
        f"{V}/store-credits",
        "createStoreCredit",
        "Give a customer store credit",
        create_store_credit,
        body=s.StoreCreditCreate,
        response=s.StoreCreditOut,
        status=201,
    ),
    Route(
        "GET",
        f"{V}/sync-issues",
        "listSyncIssues",
        "Records the connector holds back (QuickBooks-only ones included), with the reason",
        list_sync_issues,
        response=s.SyncIssueOut,
        many=True,
    ),
    Route(
        "PUT",
        f"{V}/sync-issues/<key>",
        "putSyncIssue",
        "Report a held record (again: the latest error replaces the last)",
        put_sync_issue,
        body=s.SyncIssueIn,
        response=s.SyncIssueOut,
    ),
    Route(
        "DELETE",
        f"{V}/sync-issues/<key>",
        "deleteSyncIssue",
        "The held record synced: remove its issue",
        delete_sync_issue,
        response=s.SyncIssueOut,
    ),
    Route("GET", f"{V}/openapi.json", "getOpenAPI", "This API's OpenAPI description", openapi),
)


# --- the WSGI application ----------------------------------------------------------------


def _json_response(status: int, payload: Any) -> Response:
    return Response(
        json.dumps(payload, sort_keys=False), status=status, mimetype="application/json"
    )


def _validation_message(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "body"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def _fingerprint(raw: str) -> str:
    """The same JSON with its keys in another order is the same request."""
    try:
        return json.dumps(json.loads(raw), sort_keys=True)
    except (ValueError, RecursionError):  # refused as a bad body right after
        return raw


@dataclass
class _Stored:
    fingerprint: str
    status: int
    payload: Any


@dataclass
class FieldServiceAPI:
    """The WSGI application over one backend."""

    backend: FieldServiceBackend
    faults: FaultPlan
    routes: tuple[Route, ...] = ROUTES
    idempotency: dict[tuple[str, str, str], _Stored] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._url_map = Map(
            [Rule(r.rule, endpoint=r, methods=[r.method]) for r in self.routes],
            strict_slashes=False,
        )
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        with self._lock:
            response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        fault = self.faults.take(request.method, request.path)
        if fault is not None:
            if fault.kind == "error":
                return _json_response(
                    fault.status,
                    {
                        "error": {
                            "code": "injected_fault",
                            "message": f"injected {fault.status} for {request.method} {request.path}",
                        }
                    },
                )
            if fault.kind == "timeout":
                raise SimulatedTimeout(f"injected timeout: {request.method} {request.path}")
            if fault.kind == "slow":
                self.backend.clock.advance(fault.seconds)
        status, payload = self._answer(request)
        if fault is not None and fault.kind == "lost":
            raise SimulatedAnswerLost(
                f"injected lost answer: {request.method} {request.path} was applied"
            )
        return _json_response(status, payload)

    def _answer(self, request: Request) -> tuple[int, Any]:
        try:
            route, path_args = self._match(request)
            key = request.headers.get(IDEMPOTENCY_HEADER)
            if key is None or request.method != "POST":
                return self._dispatch(request, route, path_args)
            fingerprint = _fingerprint(request.get_data(as_text=True))
            slot = (request.method, request.path, key)
            stored = self.idempotency.get(slot)
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    raise Conflict(
                        f"Idempotency-Key {key!r} was already used with a different body",
                        code="idempotency_conflict",
                    )
                return stored.status, stored.payload
            # Only successes are remembered: a refusal (say, a payment mode that does not
            # exist yet, PAY-01) must not stick to a key the connector will retry with.
            status, payload = self._dispatch(request, route, path_args)
            self.idempotency[slot] = _Stored(fingerprint, status, payload)
            return status, payload
        except FieldServiceError as error:
            return error.status, error.to_body()
        except Exception as error:  # a bug in the fake, not the caller's mistake
            message = f"internal error: {type(error).__name__}: {error}"
            return 500, {"error": {"code": "internal_error", "message": message}}

    def _match(self, request: Request) -> tuple[Route, dict[str, str]]:
        adapter = self._url_map.bind_to_environ(request.environ)
        try:
            route, path_args = cast(tuple[Route, dict[str, str]], adapter.match())
        except MethodNotAllowed:
            raise FieldServiceError(
                f"{request.method} is not allowed on {request.path}",
                code="method_not_allowed",
                status=405,
            ) from None
        except RouteNotFound:
            raise FieldServiceError(
                f"no endpoint {request.path}", code="not_found", status=404
            ) from None
        return route, path_args

    def _dispatch(
        self, request: Request, route: Route, path_args: dict[str, str]
    ) -> tuple[int, Any]:
        origin = request.headers.get(SYNC_ORIGIN_HEADER, "app").strip().lower()
        if origin not in ("app", "connector"):
            raise InvalidRequest(f'{SYNC_ORIGIN_HEADER} must be "connector" or "app"')
        body = self._body(request, route)
        call = Call(
            backend=self.backend, body=body, args=dict(request.args.items()), path=path_args
        )
        with self.backend.acting_as(origin):
            result = route.handler(call)
        return route.status, self._render(route, result)

    @staticmethod
    def _body(request: Request, route: Route) -> Any:
        if route.body is None:
            return None
        raw = request.get_data(as_text=True)
        if not raw.strip():
            if route.body_optional:
                return None
            raise InvalidRequest("this request needs a JSON body")
        try:
            data = json.loads(raw)
        except ValueError as error:
            raise InvalidRequest(
                f"the body is not valid JSON: {error}", code="invalid_json"
            ) from None
        except RecursionError:  # a 400 like any bad body, not a crash (a 500)
            raise InvalidRequest(
                "the body is not valid JSON: nested too deeply", code="invalid_json"
            ) from None
        if not isinstance(data, dict):
            raise InvalidRequest("the body must be a JSON object")
        try:
            return route.body.model_validate(data)
        except ValidationError as error:
            raise InvalidRequest(_validation_message(error)) from None

    @staticmethod
    def _render(route: Route, result: Any) -> Any:
        if route.response is None:
            return result
        if route.many:
            return [route.response.model_validate(item).model_dump(mode="json") for item in result]
        return route.response.model_validate(result).model_dump(mode="json")
