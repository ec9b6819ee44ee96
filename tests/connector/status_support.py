"""A reference connector that has done some work, for the status page's tests.

Two sessions of the simulated Web Connector against the real fakes: the first syncs a
customer and an invoice to QuickBooks, the second meets a QuickBooks payment whose method
the app lacks (held, PAY-01). Tickets and the password are long distinctive strings, so a
test can say they appear nowhere on the page. (A uniquely named module, like conn_support.)
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from werkzeug.test import Client

from connector import ConnectorSettings, make_wsgi_app
from harness.clock import SimClock
from harness.fake_fieldservice import FieldServiceApp
from harness.fake_qbd import QBDCompany
from harness.webconnector import Faults, QwcFile, Transcript, WebConnector, WsgiTransport

USER = "qbuser"
PASSWORD = "status-page-password-7f3a9c"
CUSTOMER = "Acme Plumbing"
HELD_REF = "Z-1"
HELD_WHY = "payment mode 'Zelle' does not exist in the app"

QWC = f"""<?xml version="1.0"?><QBWCXML><AppName>Reference</AppName><AppID></AppID>
<AppURL>http://localhost:8080/</AppURL><AppDescription>reference connector</AppDescription>
<AppSupport>http://localhost:8080/support</AppSupport><UserName>{USER}</UserName>
<OwnerID>{{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}}</OwnerID>
<FileID>{{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}}</FileID><QBType>QBFS</QBType></QBWCXML>"""


@dataclass
class Worked:
    """The connector's WSGI app after the two sessions, and what was secret in them;
    ``session`` runs one more (with faults of the simulated Web Connector)."""

    wsgi: Any
    app: FieldServiceApp
    session: Callable[..., Transcript]
    tickets: list[str] = field(default_factory=list)

    def get(self, path: str, *, auth: tuple[str, str] | None = (USER, PASSWORD), **kw: Any) -> Any:
        headers = kw.pop("headers", {})
        if auth is not None:
            headers["Authorization"] = basic(*auth)
        return Client(self.wsgi).get(path, headers=headers, **kw)


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def worked_connector(db_path: str = ":memory:") -> Worked:
    clock = SimClock()
    app = FieldServiceApp(clock=clock)
    company = QBDCompany(clock=clock)
    issued: list[str] = []
    counter = itertools.count(1)

    def new_ticket() -> str:
        issued.append(f"live-ticket-{next(counter)}-5d0c3e9b1a7f4e2b")
        return issued[-1]

    settings = ConnectorSettings(
        db_path=db_path,
        users=[{"username": USER, "password": PASSWORD}],
        app_transport=httpx.WSGITransport(app=app.wsgi),
    )
    wsgi = make_wsgi_app(settings, clock=clock, new_ticket=new_ticket)

    def session(faults: Faults | None = None) -> Transcript:
        clock.advance(300)
        web_connector = WebConnector(
            qwc=QwcFile.parse(QWC.encode()),
            password=PASSWORD,
            quickbooks=company,
            transport=WsgiTransport(wsgi),
            clock=clock,
            faults=faults,
        )
        return web_connector.run_session()

    app.create_customer(CUSTOMER)
    app.create_invoice(
        CUSTOMER, [{"description": "Repair", "quantity": "1", "rate": "250"}], number="1001"
    )
    assert session().outcome.status == "completed"
    company.operator.add_payment_method("Zelle")
    company.operator.receive_payment(
        CUSTOMER,
        "250.00",
        method="Zelle",
        ref_number=HELD_REF,
        applied_to=[{"invoice": "1001", "amount": "250.00"}],
    )
    assert session().outcome.status == "completed"
    return Worked(wsgi, app, session, issued)
