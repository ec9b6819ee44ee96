"""Helpers for the connector tests: a tiny in-memory app API, .NET-style SOAP envelopes.

The tiny app implements only the endpoints of docs/design.md that the connector calls, so
these tests do not depend on harness.fake_fieldservice. (A uniquely named module, so test
files never pick up another directory's conftest by accident.)
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

import httpx
from lxml import etree
from werkzeug.test import Client

from connector import ConnectorSettings

NS = "http://developer.intuit.com/"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"


class TinyApp:
    """Just enough of the field-service API: lists, get, sync PUT, payments POST."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, dict[str, Any]]] = {
            "customers": {},
            "invoices": {},
            "payments": {},
        }
        self.modes = [{"id": "m1", "name": "Cash"}, {"id": "m2", "name": "Check"}]
        self.requests: list[httpx.Request] = []
        self.idempotent: dict[str, dict[str, Any]] = {}
        self.down = False
        self._ids = itertools.count(1)

    def add(self, collection: str, **fields: Any) -> dict[str, Any]:
        record_id = fields.pop("id", None) or f"{collection[:3]}{next(self._ids)}"
        record = {
            "id": record_id,
            "sync": {"status": "not_synced", "error": None, "external_id": None, "history": []},
            **fields,
        }
        self.records[collection][record_id] = record
        return record

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            return httpx.Response(503, json={"error": {"code": "down", "message": "down"}})
        parts = request.url.path.removeprefix("/api/v1/").split("/")
        if parts == ["payment-modes"]:
            return httpx.Response(200, json=self.modes)
        collection = parts[0]
        if collection not in self.records:
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "?"}})
        table = self.records[collection]
        if len(parts) == 1 and request.method == "GET":
            items = list(table.values())
            external_id = request.url.params.get("external_id")
            if external_id:
                items = [r for r in items if r["sync"]["external_id"] == external_id]
            return httpx.Response(200, json=items)
        if len(parts) == 1 and request.method == "POST":
            key = request.headers.get("Idempotency-Key", "")
            if key in self.idempotent:
                return httpx.Response(201, json=self.idempotent[key])
            body = json.loads(request.content)
            sync = body.pop("sync", None) or {}
            record = self.add(collection, **body)
            record["sync"].update(sync)
            self.idempotent[key] = record
            return httpx.Response(201, json=record)
        record = table.get(parts[1])
        if record is None:
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "no"}})
        if len(parts) == 3 and parts[2] == "sync" and request.method == "PUT":
            body = json.loads(request.content)
            record["sync"].update(body)
            record["sync"]["history"].append(dict(body))
            return httpx.Response(200, json=record["sync"])
        return httpx.Response(200, json=record)


def seeded_tickets() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"ticket-{next(counter):04d}"


class FixedClock:
    def __init__(self) -> None:
        from datetime import datetime, timedelta, timezone

        self._now = datetime(2026, 1, 5, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
        self._step = timedelta(seconds=1)

    def now(self):  # type: ignore[no-untyped-def]
        self._now += self._step
        return self._now

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self._now += timedelta(seconds=seconds)


#: These tests are about the protocol and single flows, so customers and invoices only go to
#: QuickBooks: a session has just the requests a test is about, with no pull queries first.
#: The reference default, two-way, is what the scenarios run; a test asks for it with
#: ``customer_direction="both"`` or a profile.
ONE_WAY = {"customer_direction": "to_qbd", "invoice_direction": "to_qbd"}


def make_settings(app: TinyApp, **overrides: Any) -> ConnectorSettings:
    values: dict[str, Any] = {
        "users": [{"username": "qbuser", "password": "s3cret"}],
        "app_transport": httpx.MockTransport(app),
    }
    if overrides.get("profile", "default") == "default":
        values.update(ONE_WAY)  # a profile's own directions are what a profile test checks
    values.update(overrides)
    return ConnectorSettings(**values)


class Soap:
    """Posts .NET-style envelopes (soap: prefix, method in the default namespace)."""

    def __init__(self, wsgi: Any) -> None:
        self.client = Client(wsgi)
        self.wsgi = wsgi

    def call(self, method: str, **params: Any) -> etree._Element:
        args = "".join(f"<{name}>{escape(str(value))}</{name}>" for name, value in params.items())
        envelope = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<soap:Envelope xmlns:soap="{SOAP_NS}" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
            f'<soap:Body><{method} xmlns="{NS}">{args}</{method}></soap:Body></soap:Envelope>'
        )
        response = self.client.post(
            "/",
            data=envelope.encode("utf-8"),
            headers={
                "Content-Type": "text/xml; charset=utf-8",
                "SOAPAction": f'"{NS}{method}"',
            },
        )
        assert response.status_code == 200, response.data.decode()
        root = etree.fromstring(response.data)
        result = root.find(f".//{{{NS}}}{method}Result")
        assert result is not None, response.data.decode()
        return result

    def text(self, method: str, **params: Any) -> str:
        return self.call(method, **params).text or ""

    def authenticate(self, user: str = "qbuser", password: str = "s3cret") -> list[str]:
        result = self.call("authenticate", strUserName=user, strPassword=password)
        return [s.text or "" for s in result.findall(f"{{{NS}}}string")]

    def send(self, ticket: str, hcp: str = "", company: str = "C:\\Acme.QBW") -> str:
        return self.text(
            "sendRequestXML",
            ticket=ticket,
            strHCPResponse=hcp,
            strCompanyFileName=company,
            qbXMLCountry="US",
            qbXMLMajorVers=13,
            qbXMLMinorVers=0,
        )

    def receive(self, ticket: str, response: str, hresult: str = "", message: str = "") -> int:
        return int(
            self.text(
                "receiveResponseXML",
                ticket=ticket,
                response=response,
                hresult=hresult,
                message=message,
            )
        )


HCP_RESPONSE = """<?xml version="1.0" ?>
<QBXML><QBXMLMsgsRs>
<HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<HostRet><ProductName>QuickBooks Enterprise Solutions 23.0</ProductName>
<MajorVersion>33</MajorVersion><MinorVersion>0</MinorVersion>
<SupportedQBXMLVersion>1.0</SupportedQBXMLVersion>
<SupportedQBXMLVersion>12.0</SupportedQBXMLVersion>
<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion>
<SupportedQBXMLVersion>16.0</SupportedQBXMLVersion>
<IsAutomaticLogin>false</IsAutomaticLogin><QBFileMode>SingleUser</QBFileMode></HostRet>
</HostQueryRs></QBXMLMsgsRs></QBXML>"""
