"""An example of someone else's QuickBooks Web Connector service, for docs/certify.md.

It is deliberately not part of qbwc-harness and imports nothing from it: a tiny app (a
customer list with a JSON API) and a QBWC SOAP service that exports each new customer to
QuickBooks with a CustomerAdd, written with the standard library only.

    python docs/examples/vendor_qbwc.py --port 8765

serves the SOAP endpoint at http://localhost:8765/qbwc and the app's API at /api/customers
(GET lists, POST {"name", "email", "phone"} adds, POST /api/reset empties everything).
It has two shortcomings a certification finds: getLastError answers "" even for a ticket
it never issued (WC-15), and it always writes qbXML 13.0 (WC-16).
"""

from __future__ import annotations

import argparse
import json
import threading
import uuid
import xml.etree.ElementTree as ET
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server
from xml.sax.saxutils import escape

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "http://developer.intuit.com/"
USER, PASSWORD = "vendor-sync", "vendor-pass-9"


class VendorSync:
    """The app's customers and the Web Connector sessions that export them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.customers: list[dict[str, Any]] = []
        self.tickets: dict[str, dict[str, Any]] = {}  # ticket -> {"sent": name or None}

    # --- the app's JSON API ------------------------------------------------------------
    def api(self, method: str, path: str, body: bytes) -> tuple[str, Any]:
        if path == "/api/reset" and method == "POST":
            self.reset()
            return "200 OK", {}
        if path == "/api/customers" and method == "GET":
            return "200 OK", self.customers
        if path == "/api/customers" and method == "POST":
            data = json.loads(body or b"{}")
            if any(c["name"].lower() == str(data.get("name", "")).lower() for c in self.customers):
                return "409 Conflict", {"error": f"customer {data.get('name')!r} exists"}
            customer = {
                "name": data["name"],
                "email": data.get("email"),
                "phone": data.get("phone"),
                "sync": {"status": "not_synced", "list_id": None, "error": None},
            }
            self.customers.append(customer)
            return "201 Created", customer
        return "404 Not Found", {"error": f"no route {method} {path}"}

    # --- the QBWC web methods ----------------------------------------------------------
    def pending(self) -> list[dict[str, Any]]:
        return [c for c in self.customers if c["sync"]["status"] == "not_synced"]

    def serverVersion(self, **_: str) -> str:
        return "vendor-example 1.0"

    def clientVersion(self, strVersion: str = "") -> str:
        return ""

    def authenticate(self, strUserName: str = "", strPassword: str = "") -> list[str]:
        ticket = str(uuid.uuid4())
        if (strUserName, strPassword) != (USER, PASSWORD):
            return [ticket, "nvu"]
        if not self.pending():
            return [ticket, "none"]
        self.tickets[ticket] = {"sent": None}
        return [ticket, ""]

    def sendRequestXML(self, ticket: str = "", **_: str) -> str:
        session = self.tickets.get(ticket)
        todo = self.pending()
        if session is None or not todo:
            return ""
        customer = todo[0]
        session["sent"] = customer["name"]
        fields = f"<Name>{escape(customer['name'])}</Name>"
        if customer.get("phone"):
            fields += f"<Phone>{escape(customer['phone'])}</Phone>"
        if customer.get("email"):
            fields += f"<Email>{escape(customer['email'])}</Email>"
        return (
            '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>'
            '<QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="1"><CustomerAdd>'
            f"{fields}</CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>"
        )

    def receiveResponseXML(self, ticket: str = "", response: str = "", **_: str) -> int:
        session = self.tickets.get(ticket)
        if session is None or session["sent"] is None:
            return -1
        customer = next(c for c in self.customers if c["name"] == session["sent"])
        try:
            answer = ET.fromstring(response).find(".//CustomerAddRs")
        except ET.ParseError:  # no qbXML: QuickBooks answered with an hresult instead
            answer = None
        status = answer.get("statusCode") if answer is not None else "-1"
        if status in ("0", "3100"):  # added, or already there under that name
            customer["sync"] = {
                "status": "synced",
                "list_id": answer.findtext(".//ListID"),
                "error": None,
            }
        else:
            message = answer.get("statusMessage") if answer is not None else "no answer"
            customer["sync"] = {"status": "failed", "list_id": None, "error": message}
        session["sent"] = None
        total = len(self.customers)
        return 100 if not self.pending() else int(100 * (total - len(self.pending())) / total)

    def connectionError(self, **_: str) -> str:
        return "done"

    def getLastError(self, ticket: str = "") -> str:
        return ""  # a shortcoming: nothing to say, even about a ticket it never issued

    def closeConnection(self, ticket: str = "") -> str:
        self.tickets.pop(ticket, None)
        return "OK"

    # --- WSGI ----------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
        with self.lock:
            if path.startswith("/api/"):
                status, data = self.api(method, path, body)
                start_response(status, [("Content-Type", "application/json")])
                return [json.dumps(data).encode()]
            call = ET.fromstring(body).find(f"{{{SOAP}}}Body")[0]
            name = call.tag.split("}")[1]
            args = {child.tag.split("}")[1]: child.text or "" for child in call}
            result = getattr(self, name)(**args)
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [soap_answer(name, result)]


def soap_answer(method: str, result: Any) -> bytes:
    if isinstance(result, list):
        inner = "".join(f"<string>{escape(item)}</string>" for item in result)
    else:
        inner = escape(str(result))
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}"><soap:Body>'
        f'<{method}Response xmlns="{TNS}"><{method}Result>{inner}</{method}Result>'
        f"</{method}Response></soap:Body></soap:Envelope>"
    ).encode()


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    port = parser.parse_args().port
    server = make_server("127.0.0.1", port, VendorSync(), handler_class=_Quiet)
    print(f"vendor QBWC service on http://localhost:{port}/qbwc (Ctrl-C stops it)", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
