"""The QBWC SOAP service (spyne) and the WSGI app that serves it with its WSDL.

Only translation lives here: each operation passes its arguments to ``QbwcSessions`` and
returns its answer. The names are the contract's (guide p.61: parameter names matter):
namespace http://developer.intuit.com/, service QBWebConnectorSvc, ``<method>Result``
elements, ``ArrayOfString`` with ``string`` items in the service namespace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from connector import _spyne_compat  # noqa: F401  (must run before spyne is imported)
from connector.app_client import AppClient
from connector.clock import Clock
from connector.limits import protect
from connector.session import QbwcSessions, default_ticket
from connector.settings import ConnectorSettings
from connector.soap_protocol import GuardedSoap11
from connector.status import StatusPage
from connector.store import Store
from qbwc_wire import QBWC_NAMESPACE

from spyne import const as spyne_const  # isort: skip
from spyne import Application, Array, Integer32, Service, Unicode, rpc  # isort: skip
from spyne.protocol.soap import Soap11  # isort: skip
from spyne.server.wsgi import WsgiApplication  # isort: skip

# spyne keeps a process-wide registry of applications by (namespace, name) and warns when a
# second one is built: every connector instance (a restart, a second company, a test) has
# the same QBWC name by contract, so the warning says nothing useful.
logging.getLogger("spyne.util.appreg").setLevel(logging.ERROR)

# spyne runs a full gc.collect() after a request at most once a second, to release the file
# handles of uploaded files; the QBWC service takes none, and the forced collections cost
# up to a tenth of a second each under load (measured by benchmarks/hotpaths.py).
spyne_const.MIN_GC_INTERVAL = float("inf")


WSDL_SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
SERVICE_NAME = "QBWebConnectorSvc"

# ArrayOfString holds <string> items in the service namespace; nillable like the WSDL says.
ArrayOfString = Array(Unicode, type_name="ArrayOfString")


def _s(value: str | None) -> str:
    # The .NET client sends "" as an empty element; read absent and nil as "" too.
    return value or ""


def build_service(sessions: QbwcSessions) -> type[Service]:
    """A spyne service class bound to one ``QbwcSessions``."""

    class QBWebConnectorSvc(Service):
        __service_name__ = SERVICE_NAME

        @rpc(Unicode, _returns=Unicode)
        def serverVersion(ctx, strVersion):
            return sessions.server_version()

        @rpc(Unicode, _returns=Unicode)
        def clientVersion(ctx, strVersion):
            return sessions.client_version(_s(strVersion))

        @rpc(Unicode, Unicode, _returns=ArrayOfString)
        def authenticate(ctx, strUserName, strPassword):
            source = str(ctx.transport.req_env.get("REMOTE_ADDR", ""))
            return sessions.authenticate(_s(strUserName), _s(strPassword), source)

        @rpc(
            Unicode,
            Unicode,
            Unicode,
            Unicode,
            Integer32,
            Integer32,
            _returns=Unicode,
        )
        def sendRequestXML(
            ctx,
            ticket,
            strHCPResponse,
            strCompanyFileName,
            qbXMLCountry,
            qbXMLMajorVers,
            qbXMLMinorVers,
        ):
            return sessions.send_request_xml(
                _s(ticket),
                _s(strHCPResponse),
                _s(strCompanyFileName),
                _s(qbXMLCountry),
                qbXMLMajorVers or 0,
                qbXMLMinorVers or 0,
            )

        @rpc(
            Unicode,
            Unicode,
            Unicode,
            Unicode,
            _returns=Integer32,
        )
        def receiveResponseXML(ctx, ticket, response, hresult, message):
            return sessions.receive_response_xml(_s(ticket), _s(response), _s(hresult), _s(message))

        @rpc(Unicode, Unicode, Unicode, _returns=Unicode)
        def connectionError(ctx, ticket, hresult, message):
            return sessions.connection_error(_s(ticket), _s(hresult), _s(message))

        @rpc(Unicode, _returns=Unicode)
        def getLastError(ctx, ticket):
            return sessions.get_last_error(_s(ticket))

        @rpc(Unicode, _returns=Unicode)
        def closeConnection(ctx, ticket):
            return sessions.close_connection(_s(ticket))

    return QBWebConnectorSvc


def make_wsgi_app(
    settings: ConnectorSettings,
    *,
    clock: Clock | None = None,
    new_ticket: Callable[[], str] = default_ticket,
    store: Store | None = None,
    app_client: AppClient | None = None,
    sessions_class: type[QbwcSessions] = QbwcSessions,
) -> QbwcWsgiApp:
    """The reference connector as a WSGI app: POST SOAP 1.1, GET ?wsdl for the WSDL,
    GET /health, and the status page (GET /status, /status.json: ``connector.status``).

    ``sessions_class`` is the callbacks' implementation (tests plant bugs in a subclass)."""
    sessions = sessions_class(
        settings, store=store, app=app_client, clock=clock, new_ticket=new_ticket
    )
    application = Application(
        [build_service(sessions)],
        tns=QBWC_NAMESPACE,
        name=SERVICE_NAME,
        in_protocol=GuardedSoap11(validator=None),
        out_protocol=Soap11(),
    )
    guarded = protect(WsgiApplication(application), settings, sessions.store)
    return QbwcWsgiApp(StatusPage(guarded, sessions), sessions)


class QbwcWsgiApp:
    """spyne's WSGI app, with the WSDL's soapAction values made the contract's.

    spyne writes ``soapAction="authenticate"``; the contract (and the real client, which
    sends the header) uses ``http://developer.intuit.com/authenticate`` (QBWC-FACTS.md).
    spyne dispatches on the body element, so only the served WSDL needs the fix.
    """

    def __init__(self, spyne_app: WsgiApplication, sessions: QbwcSessions) -> None:
        self.spyne_app = spyne_app
        self.sessions = sessions
        self._wsdl: bytes | None = None

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "").lower()
        if environ.get("REQUEST_METHOD") == "GET" and query in {"wsdl", "wsdl="}:
            body = self._wsdl_for(environ)
            start_response(
                "200 OK",
                [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return self.spyne_app(environ, start_response)

    def _wsdl_for(self, environ: dict[str, Any]) -> bytes:
        if self._wsdl is None:
            chunks: list[bytes] = []

            def capture(status: str, headers: list[Any], exc_info: Any = None) -> Any:
                return chunks.append

            chunks.extend(self.spyne_app(environ, capture))
            root = etree.fromstring(b"".join(chunks))
            for op in root.iter(f"{{{WSDL_SOAP11}}}operation"):
                action = op.get("soapAction")
                if action and not action.startswith("http"):
                    op.set("soapAction", QBWC_NAMESPACE + action)
            self._wsdl = etree.tostring(root, xml_declaration=True, encoding="utf-8")
        return self._wsdl
