"""The bytes on the wire: .NET envelope shape, headers, "" versus null, failures."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from wc_support import Reply, ScriptedQbwcServer, StandInQuickBooks, qwc_text, soap_fault

from harness.clock import SimClock
from harness.webconnector import (
    DOTNET_USER_AGENT,
    HttpTransport,
    QwcFile,
    WebConnector,
    WsgiTransport,
    load_contract,
)
from harness.webconnector.envelope import render_request


def run(server, transport=None, url=None, **options):
    wc = WebConnector(
        qwc=QwcFile.load(qwc_text()),
        password="pw",
        quickbooks=StandInQuickBooks(),
        transport=transport or WsgiTransport(server),
        clock=SimClock(),
        url=url,
        **options,
    )
    return wc.run_session()


def test_authenticate_envelope_is_dotnet_shaped_byte_for_byte():
    server = ScriptedQbwcServer(requests=[])
    run(server)
    assert server.calls("authenticate")[0].body == (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        b'<soap:Body><authenticate xmlns="http://developer.intuit.com/">'
        b"<strUserName>syncuser</strUserName><strPassword>pw</strPassword>"
        b"</authenticate></soap:Body></soap:Envelope>"
    )
    assert server.calls("serverVersion")[0].body.endswith(
        b'<soap:Body><serverVersion xmlns="http://developer.intuit.com/" /></soap:Body>'
        b"</soap:Envelope>"
    )


def test_empty_strings_are_sent_as_empty_elements():
    server = ScriptedQbwcServer(requests=["<A/>", "<B/>"])
    run(server)
    second = server.calls("sendRequestXML")[1].body
    assert b"<strHCPResponse />" in second
    assert b"<hresult /><message />" in server.calls("receiveResponseXML")[0].body


def test_headers_are_the_dotnet_clients():
    server = ScriptedQbwcServer(requests=[])
    run(server)
    for received in server.log:
        assert received.headers["Soapaction"] == f'"http://developer.intuit.com/{received.method}"'
        assert received.headers["Content-Type"] == "text/xml; charset=utf-8"
        assert received.headers["User-Agent"] == DOTNET_USER_AGENT


def test_special_characters_round_trip():
    request = '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML a="x&amp;y">\r\n<N>A & B</N>'
    server = ScriptedQbwcServer(requests=[request])
    qb = StandInQuickBooks()
    WebConnector(
        qwc=QwcFile.load(qwc_text()),
        password='p<&>"',
        quickbooks=qb,
        transport=WsgiTransport(server),
    ).run_session()
    assert qb.requests == [request]
    assert server.calls("authenticate")[0].args["strPassword"] == 'p<&>"'


def test_render_request_rejects_unknown_argument():
    with pytest.raises(ValueError, match="no parameter"):
        render_request(load_contract()["getLastError"], {"tickett": "x"})


@pytest.mark.parametrize(
    ("method", "reply", "code", "text"),
    [
        ("authenticate", soap_fault("Login service down"), "QBWC1012", "Login service down"),
        ("sendRequestXML", soap_fault("boom"), "QBWC1041", "boom"),
        ("receiveResponseXML", Reply(b"<soap:Envelope"), "QBWC1042", "not well-formed"),
        (
            "getLastError",
            Reply(b"oops", "500 Internal Server Error", "text/plain"),
            "QBWC1043",
            "HTTP status 500",
        ),
        (
            "closeConnection",
            Reply(b"<html/>", "200 OK", "text/html"),
            "QBWC1044",
            "content type of 'text/html'",
        ),
        (
            "sendRequestXML",
            Reply(b"nf", "404 Not Found", "text/plain"),
            "QBWC1041",
            "HTTP status 404: Not Found",
        ),
    ],
)
def test_web_method_failures_end_with_qbwc_codes(method, reply, code, text):
    answers = {method: reply}
    if method == "getLastError":
        answers["sendRequestXML"] = ""
    server = ScriptedQbwcServer(requests=["<A/>"], answers=answers)
    transcript = run(server)
    assert transcript.outcome.status == "error"
    assert transcript.outcome.code == code
    assert transcript.outcome.message.startswith(f"{code}: ")
    assert text in transcript.outcome.message
    assert server.methods[-1] == method  # nothing is called after the failure
    assert transcript.calls[-1].error is not None


def test_soap12_answer_is_a_version_mismatch():
    body = b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>'
    server = ScriptedQbwcServer(answers={"authenticate": Reply(body)})
    assert "SOAP version mismatch" in run(server).outcome.message


def test_crashing_wsgi_app_is_http_500_not_a_traceback():
    def app(environ, start_response):
        raise RuntimeError("server bug")

    transcript = run(None, transport=WsgiTransport(app))
    assert transcript.outcome.code == "QBWC1012"
    assert "HTTP status 500" in transcript.outcome.message


def test_answer_in_wrong_namespace_is_refused():
    body = (
        b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        b'<authenticateResponse xmlns="urn:wrong"><authenticateResult/></authenticateResponse>'
        b"</soap:Body></soap:Envelope>"
    )
    server = ScriptedQbwcServer(answers={"authenticate": Reply(body)})
    transcript = run(server)
    assert transcript.outcome.code == "QBWC1012"


# -- the same service over real HTTP ---------------------------------------------------


@pytest.fixture
def http_server() -> Iterator[tuple[str, ScriptedQbwcServer]]:
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):  # keep test output clean
            pass

    app = ScriptedQbwcServer(requests=["<A/>", "<B/>"])
    httpd = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_port}/qbwc", app
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_http_transport_gives_same_transcript_as_wsgi(http_server):
    url, app = http_server
    over_http = run(app, transport=HttpTransport(), url=url)
    in_process = run(ScriptedQbwcServer(requests=["<A/>", "<B/>"]))
    assert app.methods == over_http.methods()
    assert over_http.outcome.status == "completed"
    assert over_http.to_json() == in_process.to_json()
    assert app.calls("authenticate")[0].headers["User-Agent"] == DOTNET_USER_AGENT
    # no requests/zeep defaults such as "Accept: */*" or a Zeep User-Agent
    assert "Accept" not in app.calls("authenticate")[0].headers


def test_connection_refused_is_qbwc1012():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    transcript = run(None, transport=HttpTransport(timeout=2), url=f"http://localhost:{port}/x")
    assert transcript.outcome.code == "QBWC1012"
    assert "Unable to connect to the remote server" in transcript.outcome.message
    assert transcript.methods() == ["serverVersion", "clientVersion", "authenticate"]


def test_http_transport_verify_option():
    assert HttpTransport(verify=False).session.verify is False
    assert HttpTransport(verify="/path/ca.pem").session.verify == "/path/ca.pem"


@pytest.mark.parametrize(
    "app",
    [
        lambda environ, start_response: [b"never started"],
        lambda environ, start_response: start_response("OK", []) or [b""],
        lambda environ, start_response: start_response("200 OK", []) or ["text, not bytes"],
    ],
)
def test_broken_wsgi_apps_are_http_500(app):
    transport = WsgiTransport(app)
    transcript = run(None, transport=transport)
    assert transcript.outcome.code == "QBWC1012"
    assert "HTTP status 500" in transcript.outcome.message
    assert len(transport.errors) == 3  # serverVersion, clientVersion, authenticate
