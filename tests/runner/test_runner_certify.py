"""``qbwc-harness certify`` against a QBWC service that is not ours: a plain WSGI app written
here with lxml only (no project code), served on 127.0.0.1 by waitress (serve_on_loopback).
It completes a session; its two shortcomings (getLastError answers "" for a ticket it never
issued; it writes qbXML 13.0 whatever QuickBooks supports) are reported against WC-15 and
WC-16."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from harness.cli import cli
from harness.serve import serve_on_loopback

REPO = Path(__file__).resolve().parents[2]
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "http://developer.intuit.com/"
USER, PASSWORD = "vendor-sync", "vendor-pass-9"

CUSTOMER_QUERY = (
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>'
    '<QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1">'
    "<MaxReturned>5</MaxReturned></CustomerQueryRq></QBXMLMsgsRq></QBXML>"
)


class PlainQbwcService:
    """A minimal third-party QBWC web service: one CustomerQuery per session."""

    def __init__(self) -> None:
        self.tickets: dict[str, str] = {}  # ticket -> "open" | "sent" | "closed"
        self.counter = 0
        self.sessions_completed = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size)
        call = etree.fromstring(body).find(f"{{{SOAP}}}Body")[0]
        method = etree.QName(call).localname
        args = {etree.QName(c).localname: (c.text or "") for c in call}
        result = getattr(self, method)(**args)
        envelope = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP})
        answer = etree.SubElement(
            etree.SubElement(envelope, f"{{{SOAP}}}Body"),
            f"{{{TNS}}}{method}Response",
            nsmap={None: TNS},
        )
        node = etree.SubElement(answer, f"{{{TNS}}}{method}Result")
        if isinstance(result, list):
            for item in result:
                etree.SubElement(node, f"{{{TNS}}}string").text = item
        else:
            node.text = str(result)
        data = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [data]

    def serverVersion(self, **_: str) -> str:
        return "plain-wsgi 1.0"

    def clientVersion(self, strVersion: str = "") -> str:
        return ""

    def authenticate(self, strUserName: str, strPassword: str) -> list[str]:
        self.counter += 1
        ticket = f"T-{self.counter}"
        if (strUserName, strPassword) != (USER, PASSWORD):
            return [ticket, "nvu"]
        self.tickets[ticket] = "open"
        return [ticket, ""]

    def sendRequestXML(self, ticket: str, **_: str) -> str:
        if self.tickets.get(ticket) != "open":
            return ""
        self.tickets[ticket] = "sent"
        return CUSTOMER_QUERY

    def receiveResponseXML(self, ticket: str, **_: str) -> int:
        return 100 if self.tickets.get(ticket) == "sent" else -1

    def connectionError(self, ticket: str, **_: str) -> str:
        return "done"

    def getLastError(self, ticket: str) -> str:
        return ""  # the shortcoming: nothing to tell, even for a ticket never issued

    def closeConnection(self, ticket: str) -> str:
        if self.tickets.get(ticket) == "sent":
            self.sessions_completed += 1
        self.tickets[ticket] = "closed"
        return "OK"


@pytest.fixture
def plain_service() -> Iterator[tuple[str, PlainQbwcService]]:
    service = PlainQbwcService()  # the service itself uses lxml only; waitress serves it
    server = serve_on_loopback(service, "/qbwc")
    try:
        yield server.url, service
    finally:
        server.stop()


def write_qwc(path: Path, url: str) -> Path:
    path.write_text(
        f"""<?xml version="1.0"?>
<QBWCXML>
  <AppName>Plain vendor sync</AppName>
  <AppID></AppID>
  <AppURL>{url}</AppURL>
  <AppDescription>Someone else's connector</AppDescription>
  <AppSupport>{url}</AppSupport>
  <UserName>{USER}</UserName>
  <OwnerID>{{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}}</OwnerID>
  <FileID>{{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}}</FileID>
  <QBType>QBFS</QBType>
</QBWCXML>
""",
        encoding="utf-8",
    )
    return path


def test_certify_runs_the_protocol_scenarios_against_a_plain_wsgi_service(
    plain_service: tuple[str, PlainQbwcService], tmp_path: Path, monkeypatch: Any
) -> None:
    url, service = plain_service
    qwc = write_qwc(tmp_path / "vendor.qwc", url)
    monkeypatch.chdir(REPO)
    out = tmp_path / "certify.json"
    result = CliRunner().invoke(
        cli,
        ["certify", "--qwc", str(qwc), "--json", str(out), "--junit", str(tmp_path / "j.xml")],
        env={"QBWC_HARNESS_PASSWORD": PASSWORD},
    )
    rows = {row["id"]: row for row in json.loads(out.read_text())}
    assert result.exit_code == 1, result.output  # one behavior fails: reported, not crashed
    assert "Results by behavior" in result.output
    assert service.sessions_completed >= 1
    assert rows["wc-01-any-connector"]["status"] == "passed"
    assert rows["wc-01-any-connector"]["sessions"][0]["status"] == "completed"
    assert rows["wc-02-wrong-password"]["status"] == "passed"
    assert rows["wc-10-quickbooks-not-running"]["status"] == "passed"
    forged = rows["wc-15-forged-ticket"]
    assert forged["status"] == "failed"
    assert "getLastError#1.result" in forged["failure"]
    newest = rows["wc-16-any-connector"]  # it writes 13.0 to a QuickBooks that stops at 12.0
    assert newest["status"] == "failed"
    assert 'qbxml version="13.0"' in newest["failure"]
    # The reference connector's own scenarios are skipped with the reason, not failed.
    assert rows["wc-01-session-call-order"]["status"] == "skipped"
    assert "needs the app side" in rows["wc-01-session-call-order"]["reason"]
    assert rows["wc-11-client-version-too-old"]["status"] == "skipped"
    assert not [r for r in rows.values() if r["status"] == "error"]
    assert PASSWORD not in result.output
    assert (tmp_path / "j.xml").exists()


def test_certify_refuses_a_qwc_that_qbwc_would_refuse(tmp_path: Path) -> None:
    qwc = write_qwc(tmp_path / "bad.qwc", "http://sync.example.com/qbwc")
    result = CliRunner().invoke(cli, ["certify", "--qwc", str(qwc), "--password", "x"])
    assert result.exit_code == 2
    assert "QBWC1010" in result.output
    assert "Traceback" not in result.output


def test_certify_needs_a_password(tmp_path: Path) -> None:
    qwc = write_qwc(tmp_path / "ok.qwc", "http://localhost:9/qbwc")
    result = CliRunner().invoke(
        cli, ["certify", "--qwc", str(qwc)], env={"QBWC_HARNESS_PASSWORD": ""}
    )
    assert result.exit_code == 2
    assert "QBWC_HARNESS_PASSWORD" in result.output


def test_certify_refuses_a_missing_qwc_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["certify", "--qwc", str(tmp_path / "nope.qwc"), "--password", "x"]
    )
    assert result.exit_code == 2
    assert "QBWC1039" in result.output


def test_a_soap_call_step_with_an_unknown_method_is_a_file_line_error(tmp_path: Path) -> None:
    from harness.scenario import ScenarioError, default_registry, load_scenario

    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\ntitle: t\nbehaviors: [WC-15]\nsteps:\n"
        "  - sync\n  - soap_call: {method: getFirstError, ticket: last}\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, default_registry())
    text = str(info.value)
    assert "bad.yaml:6" in text and "method" in text


def test_quiet_certify_still_prints_the_failures(
    plain_service: tuple[str, PlainQbwcService], tmp_path: Path
) -> None:
    url, _ = plain_service
    qwc = write_qwc(tmp_path / "vendor.qwc", url)
    forged = REPO / "scenarios" / "protocol" / "wc-15-forged-ticket.yaml"
    result = CliRunner().invoke(
        cli,
        ["certify", "-q", "--qwc", str(qwc), str(forged)],
        env={"QBWC_HARNESS_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 1, result.output
    assert "FAILED wc-15-forged-ticket" in result.output
    assert "getLastError#1.result" in result.output
    assert "Results by behavior" not in result.output
