"""`replay CAPTURE --fidelity`: a simulated session recorded then replayed shows no
difference; a capture whose responses were edited shows exactly the edits."""

import json
import re
from pathlib import Path

import httpx
import pytest
from capture_support import EXAMPLES, proxied_web_connector, run_text, vendor_module
from click.testing import CliRunner
from test_record import recorded_session

from harness.capture.capture_file import Capture, CapturedCall, CaptureError, read_capture
from harness.capture.fidelity import replay_fidelity
from harness.capture.proxy import CaptureWriter, RecordingProxy
from harness.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, cli
from harness.fake_qbd import QBDCompany
from harness.fake_qbd.errors import NotModeledError
from harness.serve import serve_on_loopback
from harness.webconnector import WebConnector
from harness.webconnector.qwc import QwcFile
from harness.webconnector.transport import HttpTransport
from harness.world import World, WorldOptions


@pytest.fixture
def capture_path(tmp_path: Path) -> Path:
    recorded_session(tmp_path)
    return tmp_path / "capture.jsonl"


def edit_response(path: Path, seq: int, old: str, new: str) -> None:
    lines = path.read_text().splitlines()
    for number, line in enumerate(lines[1:], start=1):
        record = json.loads(line)
        if record["seq"] == seq:
            response = record["arguments"]["response"]
            assert old in response, (old, response)
            record["arguments"]["response"] = response.replace(old, new, 1)
            lines[number] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n")


def response_seq(path: Path, request_type: str) -> int:
    """The seq of the receiveResponseXML that answered the first ``request_type``."""
    calls = read_capture(path).calls
    asked = next(
        i
        for i, c in enumerate(calls)
        if c.method == "sendRequestXML" and f"<{request_type}Rq" in (c.result or "")
    )
    return next(c.seq for c in calls[asked:] if c.method == "receiveResponseXML")


def test_a_recorded_simulated_session_replays_without_a_difference(capture_path: Path):
    report = replay_fidelity(read_capture(capture_path))
    assert report.exchanges == 8
    assert report.differences == []
    result = CliRunner().invoke(cli, ["replay", str(capture_path), "--fidelity"])
    assert result.exit_code == EXIT_OK, result.output
    assert "8 qbXML exchange(s) replayed, 0 difference(s)" in result.output


def test_edited_responses_are_reported_exactly(capture_path: Path):
    add = response_seq(capture_path, "CustomerAdd")
    query = response_seq(capture_path, "CustomerQuery")
    deleted = response_seq(capture_path, "ListDeletedQuery")
    edit_response(capture_path, add, "<Balance>0.00</Balance>", "<Balance>5.00</Balance>")
    edit_response(
        capture_path,
        add,
        "<Name>Acme Plumbing</Name>\n        <FullName>Acme Plumbing</FullName>",
        "<FullName>Acme Plumbing</FullName>\n        <Name>Acme Plumbing</Name>",
    )
    edit_response(capture_path, query, "<Sublevel>0</Sublevel>", "")
    edit_response(capture_path, deleted, 'statusCode="1"', 'statusCode="0"')
    report = replay_fidelity(read_capture(capture_path))
    found = {(d.where, d.recorded, d.fake) for d in report.differences}
    order_where = "QBXML/QBXMLMsgsRs/CustomerAddRs/CustomerRet: element order"
    [(_, recorded, fake)] = [d for d in found if d[0] == order_where]
    # The edit swapped Name and FullName, and nothing else of the order.
    assert recorded.split() == _swapped(fake.split(), "Name", "FullName")
    assert found - {(order_where, recorded, fake)} == {
        ("QBXML/QBXMLMsgsRs/CustomerAddRs/CustomerRet/Balance", "'5.00'", "'0.00'"),
        ("QBXML/QBXMLMsgsRs/CustomerQueryRs/CustomerRet/Sublevel", "missing", "present"),
        ("QBXML/QBXMLMsgsRs/ListDeletedQueryRs@statusCode", "'0'", "'1'"),
    }
    result = CliRunner().invoke(cli, ["replay", str(capture_path), "--fidelity"])
    assert result.exit_code == EXIT_FAILED
    assert "4 difference(s)" in result.output


def test_a_broken_capture_is_refused_with_its_line(tmp_path: Path, capture_path: Path):
    lines = capture_path.read_text().splitlines()
    lines[3] = lines[3][:40]
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(lines) + "\n")
    with pytest.raises(CaptureError) as caught:
        read_capture(broken)
    assert caught.value.line == 4
    result = CliRunner().invoke(cli, ["replay", str(broken), "--fidelity"])
    assert result.exit_code == EXIT_USAGE
    assert "broken.jsonl:4: not a JSON object" in result.output
    newer = tmp_path / "newer.jsonl"
    newer.write_text('{"format": "qbwc-harness-capture", "version": 9}\n')
    with pytest.raises(CaptureError, match="capture version 9"):
        read_capture(newer)


def test_a_capture_imports_as_a_scenario_that_runs(tmp_path: Path, capture_path: Path):
    out = tmp_path / "from-capture.yaml"
    result = CliRunner().invoke(cli, ["import", str(capture_path), "--out", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    text = out.read_text()
    assert "add_customer" in text  # Bay Electric, which the query revealed
    assert text.count("add_customer") == 1  # Acme Plumbing was created by the session
    assert run_text(tmp_path, text).status == "passed"


def test_a_session_with_the_example_vendor_service_round_trips_losslessly(tmp_path: Path):
    """docs/examples/vendor_qbwc.py is not ours: record it, replay it, import it."""
    module = vendor_module()
    vendor = serve_on_loopback(module.VendorSync())
    capture = tmp_path / "vendor.jsonl"
    proxy = RecordingProxy(f"{vendor.url}/qbwc", CaptureWriter(capture, f"{vendor.url}/qbwc"))
    server = serve_on_loopback(proxy)
    quickbooks = QBDCompany()
    try:
        httpx.post(f"{vendor.url}/api/customers", json={"name": "Delta Plumbing"})
        qwc = QwcFile.load(EXAMPLES / "vendor.qwc")
        wc = WebConnector(
            qwc=qwc,
            password=module.PASSWORD,
            quickbooks=quickbooks,
            transport=HttpTransport(),
            url=server.url,
        )
        transcript = wc.run_session()
    finally:
        server.stop()
        proxy.close()
        vendor.stop()
    assert transcript.outcome.status == "completed"
    recorded = read_capture(capture)
    assert any("<CustomerAddRq" in (c.result or "") for c in recorded.calls)
    report = replay_fidelity(recorded)
    assert report.exchanges >= 1 and report.differences == []
    out = tmp_path / "vendor.yaml"
    assert CliRunner().invoke(cli, ["import", str(capture), "--out", str(out)]).exit_code == 0
    assert run_text(tmp_path, out.read_text()).status == "passed"


def test_a_request_the_fake_does_not_model_is_inconclusive_not_a_difference(
    capture_path: Path, monkeypatch: pytest.MonkeyPatch
):
    original = QBDCompany.process

    def process(self, request: str) -> str:
        if "<ListDeletedQueryRq" in request:
            raise NotModeledError("ListDeletedQuery")
        return original(self, request)

    monkeypatch.setattr(QBDCompany, "process", process)
    report = replay_fidelity(read_capture(capture_path))
    assert report.differences == []
    assert report.inconclusive == [
        "exchange 2: The simulated QuickBooks (qbwc-harness) does not model ListDeletedQuery."
    ]
    assert report.render().endswith("8 qbXML exchange(s) replayed, 0 difference(s), 1 inconclusive")


def test_a_real_company_clock_does_not_make_differences(tmp_path: Path):
    """Another clock changes every EditSequence and time; an edit after an Add still maps
    to the fake's current EditSequence, so the replayed Mod is not a false 3200."""
    world = World.build(options=WorldOptions(transport="http"))
    world.app.create_customer(name="Acme Plumbing")
    capture = tmp_path / "two.jsonl"
    with proxied_web_connector(world, capture) as wc:
        wc.run_session()
        world.clock.advance(600)
        world.app.edit_customer("Acme Plumbing", email="office@acme.example")
        wc.run_session()
    text = capture.read_text()
    assert "CustomerModRq" in text
    shifted = re.sub(r"(?<=EditSequence>)(\d+)", lambda m: str(int(m[1]) - 86400), text)
    shifted = re.sub(r"(?<=EditSequence&gt;)(\d+)", lambda m: str(int(m[1]) - 86400), shifted)
    assert shifted != text
    capture.write_text(shifted)
    report = replay_fidelity(read_capture(capture))
    assert report.differences == [], report.render()


def _swapped(names: list[str], a: str, b: str) -> list[str]:
    out = list(names)
    i, j = out.index(a), out.index(b)
    out[i], out[j] = out[j], out[i]
    return out


def test_a_noop_answer_is_observed_as_no_request() -> None:
    """sendRequestXML "NoOp" (qbwc-to-n8n-bridge with an empty queue) asks for getLastError
    (guide p.72, p.80): the observation holds only the real request and its response."""

    def call(seq: int, method: str, result: object, **arguments: str) -> CapturedCall:
        return CapturedCall(seq, method, arguments, result)

    calls = [
        call(1, "serverVersion", ""),
        call(2, "authenticate", ["T", ""]),
        call(3, "sendRequestXML", "NoOp", ticket="T"),
        call(4, "getLastError", "NoOp", ticket="T"),
        call(5, "sendRequestXML", "<QBXML/>", ticket="T"),
        call(6, "receiveResponseXML", 100, ticket="T", response="<QBXML>rs</QBXML>"),
    ]
    (session,) = Capture({}, calls).observation().sessions
    assert [(e.request, e.response) for e in session.exchanges] == [
        ("<QBXML/>", "<QBXML>rs</QBXML>")
    ]
