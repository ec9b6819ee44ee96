"""`qbwc-harness record`: a proxy that forwards faithfully and writes a capture file."""

import io
import json
from pathlib import Path

import httpx
from capture_support import proxied_web_connector
from click.testing import CliRunner

from harness.capture.capture_file import read_capture
from harness.capture.proxy import CaptureWriter, RecordingProxy
from harness.cli import EXIT_USAGE, cli
from harness.serve import serve_on_loopback
from harness.world import World, WorldOptions


def proxied_session(world: World, capture: Path, errors: io.StringIO | None = None):
    """One session of the simulated Web Connector through the recording proxy."""
    with proxied_web_connector(world, capture, errors) as wc:
        return wc.run_session()


def recorded_session(tmp_path: Path):
    """A recorded session with work on both sides: the transcript, the capture, the world."""
    world = World.build(options=WorldOptions(transport="http"))
    world.app.create_customer(name="Acme Plumbing")
    world.qbd.operator.add_customer("Bay Electric")
    transcript = proxied_session(world, tmp_path / "capture.jsonl")
    return transcript, read_capture(tmp_path / "capture.jsonl"), world


def test_a_recorded_session_holds_every_call_with_its_arguments_and_answer(tmp_path):
    transcript, capture, _ = recorded_session(tmp_path)
    assert transcript.outcome.status == "completed"
    soap = [c for c in transcript.events if getattr(c, "method", None)]
    assert [c.method for c in capture.calls] == [c.method for c in soap]
    assert [c.status for c in capture.calls] == [200] * len(soap)
    for recorded, seen in zip(capture.calls, soap, strict=True):
        if recorded.method != "authenticate":
            assert recorded.result == seen.result, recorded.method
    requests = [c.result for c in capture.calls if c.method == "sendRequestXML" and c.result]
    assert any("<CustomerAddRq" in r for r in requests)
    responses = [c.arguments["response"] for c in capture.calls if c.method == "receiveResponseXML"]
    assert any("Bay Electric" in r for r in responses)
    assert capture.header["version"] == 1 and capture.header["format"] == "qbwc-harness-capture"


def test_passwords_are_never_written_and_tickets_are_masked(tmp_path):
    transcript, capture, world = recorded_session(tmp_path)
    text = (tmp_path / "capture.jsonl").read_text()
    assert world.connector.password not in text
    (auth,) = [c for c in capture.calls if c.method == "authenticate"]
    assert auth.arguments["strPassword"] == "REDACTED"
    assert auth.result[0] == "ticket-1"
    real_ticket = next(c for c in transcript.events if getattr(c, "method", "") == "authenticate")
    assert real_ticket.result[0] not in text
    assert {c.arguments.get("ticket") for c in capture.calls if "ticket" in c.arguments} == {
        "ticket-1"
    }


def _upstream(environ, start_response):
    """A service that answers with a fault, an odd status and its own headers."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if b"authenticate" in body:
        fault = (
            b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/'
            b'envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>'
            b"database down</faultstring></soap:Fault></soap:Body></soap:Envelope>"
        )
        start_response(
            "500 Internal Server Error", [("Content-Type", "text/xml"), ("X-Vendor", "7")]
        )
        return [fault]
    start_response("404 Not Found", [("Content-Type", "text/html; charset=iso-8859-1")])
    return [b"<html>nope \xe9</html>"]


def test_status_codes_headers_faults_and_bytes_pass_unchanged(tmp_path):
    upstream = serve_on_loopback(_upstream)
    capture = tmp_path / "c.jsonl"
    proxy = RecordingProxy(upstream.url, CaptureWriter(capture, upstream.url))
    server = serve_on_loopback(proxy)
    envelope = (
        b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.'
        b'xmlsoap.org/soap/envelope/"><soap:Body><authenticate xmlns="http://developer.intuit.com/">'
        b"<strUserName>u</strUserName><strPassword>hunter2</strPassword></authenticate>"
        b"</soap:Body></soap:Envelope>"
    )
    headers = {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": '"http://developer.intuit.com/authenticate"',
    }
    try:
        direct = httpx.post(upstream.url, content=envelope, headers=headers)
        proxied = httpx.post(server.url, content=envelope, headers=headers)
        other_direct = httpx.get(upstream.url + "/x?wsdl")
        other = httpx.get(server.url + "/x?wsdl")
    finally:
        server.stop()
        proxy.close()
        upstream.stop()
    assert (proxied.status_code, proxied.content) == (direct.status_code, direct.content)
    assert proxied.headers["X-Vendor"] == "7"
    assert proxied.headers["content-type"] == direct.headers["content-type"]
    assert (other.status_code, other.content) == (404, other_direct.content)
    (call,) = read_capture(capture).calls  # the GET is not a web-method call
    assert call.status == 500 and call.fault == "database down"
    assert "hunter2" not in capture.read_text()


def test_forwarding_goes_on_when_the_capture_file_cannot_be_written(tmp_path):
    unwritable = tmp_path / "a-folder"
    unwritable.mkdir()
    errors = io.StringIO()
    world = World.build(options=WorldOptions(transport="http"))
    world.app.create_customer(name="Acme Plumbing")
    transcript = proxied_session(world, unwritable, errors)
    assert transcript.outcome.status == "completed"
    assert errors.getvalue().count("still forwarding") == 1


def test_a_record_line_is_one_json_object(tmp_path):
    _, capture, _ = recorded_session(tmp_path)
    lines = (tmp_path / "capture.jsonl").read_text().splitlines()
    assert len(lines) == 1 + len(capture.calls)
    assert all(isinstance(json.loads(line), dict) for line in lines)


def test_record_refuses_bad_options_before_listening():
    bad_listen = CliRunner().invoke(cli, ["record", "--listen", "8081", "--upstream", "http://x"])
    assert bad_listen.exit_code == EXIT_USAGE
    assert "expected HOST:PORT" in bad_listen.output
    bad_upstream = CliRunner().invoke(cli, ["record", "--upstream", "sync.example.com"])
    assert bad_upstream.exit_code == EXIT_USAGE
    assert "expected an http(s) URL" in bad_upstream.output


def test_an_unreachable_upstream_is_answered_502_and_recorded(tmp_path):
    closed = serve_on_loopback(_upstream)
    url = closed.url
    closed.stop()  # nothing listens there any more
    capture = tmp_path / "c.jsonl"
    proxy = RecordingProxy(url, CaptureWriter(capture, url), timeout=5)
    server = serve_on_loopback(proxy)
    envelope = (
        b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/'
        b'envelope/"><soap:Body><serverVersion xmlns="http://developer.intuit.com/" />'
        b"</soap:Body></soap:Envelope>"
    )
    try:
        answer = httpx.post(server.url, content=envelope, headers={"Content-Type": "text/xml"})
    finally:
        server.stop()
        proxy.close()
    assert answer.status_code == 502
    (call,) = read_capture(capture).calls
    assert call.method == "serverVersion" and call.status == 502
    assert call.fault.startswith("upstream unreachable")


def test_an_answer_is_recorded_as_the_web_connector_reads_it() -> None:
    """Element content (what node-soap services send) is the value the service sent, never
    "" (issue 17); "" and a missing result stay apart."""
    from harness.capture.proxy import _answer_of

    def answer(result: str) -> bytes:
        return (
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            '<sendRequestXMLResponse xmlns="http://developer.intuit.com/">'
            f"{result}</sendRequestXMLResponse></soap:Body></soap:Envelope>"
        ).encode()

    as_content = "<sendRequestXMLResult><string>&lt;QBXML/&gt;</string></sendRequestXMLResult>"
    assert _answer_of("sendRequestXML", answer(as_content)) == ("<QBXML/>", None)
    assert _answer_of("sendRequestXML", answer("<sendRequestXMLResult/>")) == ("", None)
    assert _answer_of("sendRequestXML", answer("")) == (None, None)
    result, why = _answer_of("sendRequestXML", b"not xml")
    assert result is None and why and "not well-formed" in why
