"""Reading QWCLog.txt in the real format (tests/capture/logs/README.md cites the excerpts)."""

from pathlib import Path

import pytest
from capture_support import LOGS

from harness.capture.qwclog import LogError, parse_log, read_log


def test_a_verbose_log_gives_each_session_with_its_application_calls_and_qbxml():
    observation = read_log(LOGS / "verbose-3100-3200.txt")
    assert observation.apps() == ["Acme Field Sync", "Timesheet Export"]
    first, other, failed = observation.sessions
    assert first.calls[:3] == ["serverVersion", "clientVersion", "authenticate"]
    assert first.calls[-1] == "closeConnection"
    assert first.started == "2026-03-03T10:30:01"
    assert len(first.exchanges) == 3
    assert all(e.request and e.response for e in first.exchanges)
    assert "<CustomerQueryRq" in first.exchanges[0].request
    assert "Harbor Dental Group" in first.exchanges[0].response
    assert other.auth_status == "none"
    assert "getLastError" in failed.calls
    assert 'statusCode="3200"' in failed.exchanges[1].response
    assert observation.skipped == []


def test_tickets_are_masked_and_passwords_never_kept():
    observation = read_log(LOGS / "verbose-3100-3200.txt")
    tickets = [s.auth[0] for s in observation.sessions]
    assert tickets == ["TICKET-1", "TICKET-2", "TICKET-3"]
    text = (
        "20260303.10:30:01 UTC\t: QBWebConnector.SOAPWebService.do_authenticate() : "
        '*** Calling authenticate() with following parameters:<userName="u"><password="s3cret">'
    )
    assert "s3cret" not in repr(parse_log(text))


def test_a_request_quickbooks_could_not_parse_keeps_its_hresult_and_message():
    (session,) = read_log(LOGS / "verbose-0x80040400.txt").sessions
    (exchange,) = session.exchanges
    assert exchange.hresult == "0x80040400"
    assert "error when parsing" in exchange.message
    assert exchange.response is None
    assert "<Phone>617-555-0177</Phone>\n<Name>" in exchange.request


def test_a_debug_level_log_lists_the_cut_qbxml_as_skipped_and_keeps_the_rest():
    observation = read_log(LOGS / "debug-0x80040400.txt")
    (session,) = observation.sessions
    assert [e.hresult for e in session.exchanges] == ["", "0x80040400"]
    assert all(e.request is None for e in session.exchanges)
    assert [s.line for s in observation.skipped] == [20, 30, 39, 49]
    assert all("50 characters" in s.what for s in observation.skipped)


def test_authentication_failure_and_connection_error_give_their_codes():
    (auth,) = read_log(LOGS / "qbwc1012.txt").sessions
    assert auth.code == "QBWC1012"
    assert "connection was closed unexpectedly" in auth.error
    (conn,) = read_log(LOGS / "connection-error.txt").sessions
    assert conn.connection_error == ("0x80040408", "Could not start QuickBooks.")
    assert conn.code == "QBWC1013"


def test_a_log_cut_mid_response_keeps_what_is_whole_and_names_the_cut_line():
    observation = read_log(LOGS / "cut-mid-response.txt")
    (session,) = observation.sessions
    assert [e.response is not None for e in session.exchanges] == [True, False]
    (skipped,) = observation.skipped
    assert skipped.line == 111 and "not well-formed" in skipped.what


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [("not-a-log.txt", 1, "not a Web Connector log"), ("not-a-log.bin", 1, "binary data")],
)
def test_a_file_that_is_not_a_log_is_refused_with_its_line(name, line, expected):
    with pytest.raises(LogError) as caught:
        read_log(LOGS / name)
    assert caught.value.line == line
    assert expected in str(caught.value) and name in str(caught.value)


def test_text_before_the_first_entry_is_skipped_not_fatal(tmp_path: Path):
    log = tmp_path / "QWCLog.txt"
    body = (LOGS / "qbwc1012.txt").read_text()
    log.write_text("ll: the start of this copy was lost\n" + body)
    observation = read_log(log)
    assert observation.sessions[0].code == "QBWC1012"
    assert [s.line for s in observation.skipped] == [1]


def test_an_impossible_timestamp_is_skipped_with_its_line():
    text = (
        "20261399.10:00:00 UTC\t: QBWebConnector.SOAPWebService.do_serverVersion() : x\n"
        "20260303.10:00:00 UTC\t: QBWebConnector.SOAPWebService.do_serverVersion() : "
        "*** Calling serverVersion().\n"
    )
    observation = parse_log(text)
    assert observation.sessions[0].calls == ["serverVersion"]
    assert observation.skipped[0].line == 1
