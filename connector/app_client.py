"""AppClient: the connector's one door to the field-service app's JSON API (/api/v1).

One code path for both deployments: give a base URL for real HTTP, or an httpx transport
(``httpx.WSGITransport(app.wsgi)``) to run in-process. Every request says
``X-Sync-Origin: connector`` so the app can tell the connector's own writes from a
person's (and not echo them back as changes); every POST carries an ``Idempotency-Key`` so
a retried write is applied once (docs/design.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

API_PREFIX = "/api/v1"
JSON = dict[str, Any]
#: Records of a collection (named here: inside AppClient, ``list`` is the method).
Records = list[JSON]


class AppApiError(RuntimeError):
    """The app answered with an error, or could not be reached."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class _AnswerCookies(httpx.Cookies):
    """A cookie jar that reads an answer only when it sets a cookie.

    httpx hands every answer to ``http.cookiejar``, through a urllib request and response
    built for it, a tenth of an in-process app call (benchmarks/hotpaths.py); the jar
    takes nothing from an answer with no Set-Cookie (or Set-Cookie2) header, so skipping
    those keeps what is stored and sent back the same."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers or "set-cookie2" in response.headers:
            super().extract_cookies(response)


class _AppHttp(httpx.Client):
    """httpx's client with ``_AnswerCookies`` as its jar."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._jar = _AnswerCookies(super().cookies)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._jar

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._jar = _AnswerCookies(cookies)


class AppClient:
    """A thin typed wrapper over the endpoints the connector uses."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        idempotency_keys: Callable[[], str] | None = None,
    ) -> None:
        if (base_url is None) == (transport is None):
            raise ValueError("give exactly one of base_url or transport")
        #: Requests name absolute URLs: httpx joins a relative one to its base_url by parsing
        #: both again, a tenth of an in-process call (benchmarks/hotpaths.py).
        self._api = (base_url or "http://app.invalid").rstrip("/") + API_PREFIX
        self._http = _AppHttp(
            transport=transport,
            timeout=timeout,
            headers={"X-Sync-Origin": "connector", "Accept": "application/json"},
        )
        self._new_key = idempotency_keys or (lambda: uuid.uuid4().hex)

    def close(self) -> None:
        self._http.close()

    # -- low level -------------------------------------------------------------------------

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, self._api + path, **kwargs)
        except httpx.HTTPError as exc:
            raise AppApiError(f"app API unreachable ({method} {path}): {exc}") from exc
        if response.status_code >= 400:
            code, message = "", response.text[:200]
            try:
                err = response.json().get("error", {})
                code, message = str(err.get("code", "")), str(err.get("message", message))
            except (ValueError, AttributeError):
                pass
            raise AppApiError(
                f"app API {method} {path} -> {response.status_code} {code}: {message}",
                status=response.status_code,
                code=code,
            )
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise AppApiError(f"app API {method} {path} answered non-JSON") from exc

    def _get(self, path: str, **params: str) -> Any:
        query = {k: v for k, v in params.items() if v}
        # An empty params mapping still costs httpx a merge of the URL's query.
        return self._request("GET", path, **({"params": query} if query else {}))

    def _post(self, path: str, body: JSON, idempotency_key: str | None = None) -> Any:
        key = idempotency_key or self._new_key()
        return self._request("POST", path, json=body, headers={"Idempotency-Key": key})

    @staticmethod
    def _items(payload: Any, collection: str) -> Records:
        # A bare list, or an envelope such as {"customers": [...]} / {"items": [...]}.
        if isinstance(payload, list):
            return payload
        if isinstance(payload, dict):
            for key in (collection, "items", "data", "results"):
                if isinstance(payload.get(key), list):
                    return list(payload[key])
        raise AppApiError(f"app API GET /{collection} answered an unexpected shape")

    # -- collections -------------------------------------------------------------------------

    def list(self, collection: str, **filters: str) -> Records:
        return self._items(self._get(f"/{collection}", **filters), collection)

    def get(self, collection: str, record_id: str) -> JSON:
        return dict(self._get(f"/{collection}/{record_id}"))

    def create(self, collection: str, body: JSON, *, idempotency_key: str | None = None) -> JSON:
        return dict(self._post(f"/{collection}", body, idempotency_key))

    def list_customers(self) -> Records:
        return self.list("customers")

    def list_invoices(self) -> Records:
        return self.list("invoices")

    def find_payments(self, external_id: str) -> Records:
        return self.list("payments", external_id=external_id)

    def create_payment(self, body: JSON, *, idempotency_key: str) -> JSON:
        return self.create("payments", body, idempotency_key=idempotency_key)

    def payment_modes(self) -> Records:
        return self.list("payment-modes")

    def set_sync(
        self,
        collection: str,
        record_id: str,
        *,
        status: str,
        external_id: str | None = None,
        error: str | None = None,
    ) -> JSON:
        """PUT the record's sync status; the app appends it to the record's history."""
        body = {"status": status, "external_id": external_id, "error": error}
        return dict(self._request("PUT", f"/{collection}/{record_id}/sync", json=body) or {})

    def report_sync_issue(
        self, key: str, *, entity: str, side: str, reference: str | None, error: str
    ) -> None:
        """List a held record where a person sees it (``PUT /sync-issues/{key}``)."""
        body = {"entity": entity, "side": side, "reference": reference, "error": error}
        self._request("PUT", f"/sync-issues/{quote(key, safe='')}", json=body)

    def sync_issues(self) -> Records:
        """The held records listed in the app (``GET /sync-issues``), for the status page."""
        return self.list("sync-issues")

    def clear_sync_issue(self, key: str) -> None:
        """The held record synced: remove its issue (none listed is not an error)."""
        try:
            self._request("DELETE", f"/sync-issues/{quote(key, safe='')}")
        except AppApiError as exc:
            if exc.status != 404:
                raise

    def changes(self, since: str = "", limit: int = 100) -> JSON:
        params = {"limit": str(limit)}
        if since:
            params["since"] = since
        return dict(self._get("/changes", **params))

    def delete(self, collection: str, record_id: str) -> JSON:
        return dict(self._request("DELETE", f"/{collection}/{record_id}") or {})

    def settings(self) -> JSON:
        return dict(self._get("/settings"))

    def list_app_payments(self) -> Records:
        """The active payments entered in the app: the only ones the connector sends to
        QuickBooks or deposits. Filtered by the app, so a session's plan does not read every
        payment QuickBooks ever sent it."""
        return self.list("payments", origin="app", status="active")

    def patch(self, collection: str, record_id: str, changes: JSON) -> JSON:
        return dict(self._request("PATCH", f"/{collection}/{record_id}", json=changes) or {})

    def void_payment(self, payment_id: str, *, reason: str, idempotency_key: str) -> JSON:
        return dict(
            self._post(f"/payments/{payment_id}/void", {"reason": reason}, idempotency_key) or {}
        )

    # -- products, locations and stock (the inventory sync) ---------------------------------

    def list_products(self) -> Records:
        return self.list("products")

    def adjust_stock(
        self, product_id: str, body: JSON, *, idempotency_key: str | None = None
    ) -> JSON:
        """POST /products/{id}/adjust: location_id and quantity_difference or new_quantity."""
        return dict(self._post(f"/products/{product_id}/adjust", body, idempotency_key) or {})

    def transfer_stock(
        self, product_id: str, body: JSON, *, idempotency_key: str | None = None
    ) -> JSON:
        """POST /products/{id}/transfer: from_location_id, to_location_id, quantity."""
        return dict(self._post(f"/products/{product_id}/transfer", body, idempotency_key) or {})
