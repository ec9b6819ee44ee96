"""The app adapter for the example vendor service (docs/examples/vendor_qbwc.py).

It drives the vendor's app through its own JSON API, as a vendor's adapter would call its
staging API. It implements what that app can do (customers) and reads what it can (the
customer list); every other scenario action stays unsupported, so scenarios that need it
are inconclusive. Each scenario builds a new adapter, which starts from an empty app.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from harness.adapter import AppAdapter


class VendorAppAdapter(AppAdapter):
    def __init__(self) -> None:
        base = os.environ.get("VENDOR_APP_URL", "http://localhost:8765")
        self.http = httpx.Client(base_url=base, timeout=10)
        self.http.post("/api/reset").raise_for_status()  # a clean tenant per scenario

    def create_customer(
        self, name: str | None = None, email: str | None = None, phone: str | None = None
    ) -> dict[str, Any]:
        answer = self.http.post(
            "/api/customers", json={"name": name, "email": email, "phone": phone}
        )
        if answer.status_code >= 400:
            raise ValueError(answer.json()["error"])  # a refusal the scenario reports
        return answer.json()

    def give_service_work(self) -> None:
        """Before an app-free scenario that needs work: one new customer to export."""
        self.create_customer(name="Certification work")

    def snapshot(self) -> dict[str, Any]:
        return {"customers": self.http.get("/api/customers").json()}
