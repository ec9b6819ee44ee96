"""The session's call order and return-value rules, through the in-process transport."""

from __future__ import annotations

import json

import pytest
from wc_support import NIL, OMIT, ScriptedQbwcServer, StandInQuickBooks, qwc_text, soap_fault

from harness.clock import SimClock
from harness.webconnector import QwcFile, WebConnector, WsgiTransport
from harness.webconnector.faults import Faults

PASSWORD = "s3cret-pw"


def make_wc(server: ScriptedQbwcServer, qb: StandInQuickBooks | None = None, **options):
    return WebConnector(
        qwc=QwcFile.load(qwc_text()),
        password=PASSWORD,
        quickbooks=qb or StandInQuickBooks(),
        transport=WsgiTransport(server),
        clock=options.pop("clock", SimClock()),
        **options,
    )


def test_happy_session_call_order_and_arguments():
    server = ScriptedQbwcServer(requests=["<Rq1/>", "<Rq2/>"])
    qb = StandInQuickBooks()
    progress: list[int] = []
    transcript = make_wc(server, qb, on_progress=progress.append).run_session()

    expected = [
        "serverVersion",
        "clientVersion",
        "authenticate",
        "sendRequestXML",
        "receiveResponseXML",
        "sendRequestXML",
        "receiveResponseXML",
        "closeConnection",
    ]
    assert server.methods == expected
    assert transcript.methods() == expected
    assert transcript.outcome.status == "completed"
    assert transcript.outcome.message == "OK"  # closeConnection's answer is shown
    assert server.calls("serverVersion")[0].args == {}
    assert server.calls("clientVersion")[0].args == {"strVersion": "2.3.0.36"}
    assert server.calls("authenticate")[0].args == {
        "strUserName": "syncuser",
        "strPassword": PASSWORD,
    }
    first, second = server.calls("sendRequestXML")
    assert first.args == {
        "ticket": "TICKET-1",
        "strHCPResponse": "<QBXML><QBXMLMsgsRs><HostQueryRs/></QBXMLMsgsRs></QBXML>",
        "strCompanyFileName": r"C:\Company Files\Acme.QBW",
        "qbXMLCountry": "US",
        "qbXMLMajorVers": "13",
        "qbXMLMinorVers": "0",
    }
    assert second.args["strHCPResponse"] == ""  # WC-07: only the first call carries it
    assert qb.hcp_calls == 1
    assert qb.requests == ["<Rq1/>", "<Rq2/>"]
    receives = server.calls("receiveResponseXML")
    assert [r.args for r in receives] == [
        {"ticket": "TICKET-1", "response": "<Rs n='1'/>", "hresult": "", "message": ""},
        {"ticket": "TICKET-1", "response": "<Rs n='2'/>", "hresult": "", "message": ""},
    ]
    assert progress == [50, 100] == transcript.progress
    assert [q.response for q in transcript.qbxml] == ["<Rs n='1'/>", "<Rs n='2'/>"]
    assert server.calls("closeConnection")[0].args == {"ticket": "TICKET-1"}


def test_password_never_in_transcript_json_or_log():
    transcript = make_wc(ScriptedQbwcServer()).run_session()
    for text in (
        transcript.to_json(),
        transcript.to_json(raw=True, timing=True),
        transcript.to_qbwc_log(),
    ):
        assert PASSWORD not in text
    auth = transcript.calls[2]
    assert auth.arguments["strPassword"] == "REDACTED"
    assert b"REDACTED" in auth.request_xml and PASSWORD.encode() not in auth.request_xml


def test_transcript_json_is_byte_identical_across_runs_and_excludes_durations():
    one = make_wc(ScriptedQbwcServer()).run_session()
    two = make_wc(ScriptedQbwcServer()).run_session()
    assert one.to_json() == two.to_json()
    assert "duration_ms" not in one.to_json()
    assert "duration_ms" in one.to_json(timing=True)
    data = json.loads(one.to_json())
    assert data["outcome"] == {"status": "completed", "code": None, "message": "OK"}
    assert [e["kind"] for e in data["events"]].count("qbxml") == 2


@pytest.mark.parametrize(
    ("word", "status"), [("nvu", "nvu"), ("NVU", "nvu"), ("none", "none"), ("NONE", "none")]
)
def test_nvu_and_none_close_without_requests(word, status):
    server = ScriptedQbwcServer(answers={"authenticate": ["T", word]})
    qb = StandInQuickBooks()
    transcript = make_wc(server, qb).run_session()
    assert server.methods == ["serverVersion", "clientVersion", "authenticate", "closeConnection"]
    assert transcript.outcome.status == status
    assert qb.requests == [] and qb.hcp_calls == 0


def test_busy_ends_run_without_close():
    server = ScriptedQbwcServer(answers={"authenticate": ["T", "busy"]})
    transcript = make_wc(server).run_session()
    assert server.methods == ["serverVersion", "clientVersion", "authenticate"]
    assert transcript.outcome.status == "busy"


def test_empty_company_member_means_open_file_and_path_is_used():
    server = ScriptedQbwcServer(
        answers={"authenticate": ["T", r"c:\company files\ACME.qbw"]}, requests=["<A/>"]
    )
    transcript = make_wc(server).run_session()
    assert transcript.outcome.status == "completed"
    assert (
        server.calls("sendRequestXML")[0].args["strCompanyFileName"] == r"c:\company files\ACME.qbw"
    )


def test_other_company_path_calls_connection_error_with_hresult():
    server = ScriptedQbwcServer(answers={"authenticate": ["T", r"C:\Other.QBW"]})
    transcript = make_wc(server).run_session()
    assert server.methods == [
        "serverVersion",
        "clientVersion",
        "authenticate",
        "connectionError",
        "closeConnection",
    ]
    assert server.calls("connectionError")[0].args["hresult"] == "0x8004040A"
    assert transcript.outcome.code == "QBWC1013"


def test_connection_error_retry_path_is_bounded():
    server = ScriptedQbwcServer(
        answers={"authenticate": ["T", r"C:\Other.QBW"], "connectionError": r"C:\Still\Other.QBW"}
    )
    transcript = make_wc(server, max_connection_retries=2).run_session()
    assert server.methods.count("connectionError") == 3
    assert transcript.outcome.code == "QBWC1013"


def test_connection_error_retry_with_right_path_recovers():
    server = ScriptedQbwcServer(
        answers={
            "authenticate": ["T", r"C:\Other.QBW"],
            "connectionError": r"C:\Company Files\Acme.QBW",
        },
        requests=["<A/>"],
    )
    transcript = make_wc(server).run_session()
    assert transcript.outcome.status == "completed"
    assert (
        server.calls("sendRequestXML")[0].args["strCompanyFileName"] == r"C:\Company Files\Acme.QBW"
    )


@pytest.mark.parametrize(
    ("retry", "opened"),
    [
        (r"D:\Books\Their Company.qbw", True),  # a company file the harness cannot see
        ("C:\\", False),  # qbwc-to-n8n-bridge's default retry path: a folder
        ("Connection Error", False),  # altaraven/QBWCServer: a sentence
    ],
)
def test_a_service_not_ours_gets_only_a_company_file_opened(retry, opened):
    """With opens_named_file (a service that is not ours), a .QBW file named in a retry is
    opened as on the vendor's machine; a folder or a sentence is no company file and fails
    as a file that is not the open one (0x8004040A) until the retries run out."""
    server = ScriptedQbwcServer(answers={"connectionError": retry}, requests=["<A/>"])
    busy = Faults().quickbooks_busy()  # the first open fails: connectionError is asked
    transcript = make_wc(server, opens_named_file=True, faults=busy).run_session()
    if opened:
        assert transcript.outcome.status == "completed"
        assert server.calls("sendRequestXML")[0].args["strCompanyFileName"] == retry
    else:
        assert transcript.outcome.code == "QBWC1013"
        hresults = [call.args["hresult"] for call in server.calls("connectionError")]
        assert hresults == ["0x80040414", "0x8004040A", "0x8004040A"]


@pytest.mark.parametrize("answer", [["T", "", "", "", ""], ["T"], NIL, OMIT])
def test_bad_authenticate_arrays_are_qbwc1012(answer):
    server = ScriptedQbwcServer(answers={"authenticate": lambda args: answer})
    transcript = make_wc(server).run_session()
    assert transcript.outcome.code == "QBWC1012"
    assert server.methods == ["serverVersion", "clientVersion", "authenticate"]


def test_authenticate_nil_member_is_not_empty_string():
    # ["T", nil]: null company member. "" and None differ in the transcript.
    server = ScriptedQbwcServer(answers={"authenticate": lambda a: ["T", None]}, requests=[])
    transcript = make_wc(server).run_session()
    assert transcript.calls[2].result == ["T", None]
    server2 = ScriptedQbwcServer(answers={"authenticate": lambda a: ["T", ""]}, requests=[])
    transcript2 = make_wc(server2).run_session()
    assert transcript2.calls[2].result == ["T", ""]


def test_postpone_and_min_run_recorded_and_postpone_stops():
    server = ScriptedQbwcServer(answers={"authenticate": lambda a: ["T", "", "60", "300"]})
    transcript = make_wc(server).run_session()
    assert transcript.outcome.status == "postponed"
    assert (transcript.postpone_seconds, transcript.min_run_seconds) == (60, 300)
    assert server.methods[-1] == "closeConnection"
    server = ScriptedQbwcServer(
        answers={"authenticate": lambda a: ["T", "", "", "300"]}, requests=["<A/>"]
    )
    transcript = make_wc(server).run_session()
    assert transcript.outcome.status == "completed"
    assert transcript.min_run_seconds == 300 and transcript.postpone_seconds is None


def test_empty_send_request_asks_get_last_error_then_closes():
    server = ScriptedQbwcServer(requests=[], answers={"getLastError": "Nothing to sync"})
    transcript = make_wc(server).run_session()
    assert server.methods[3:] == ["sendRequestXML", "getLastError", "closeConnection"]
    assert transcript.outcome.status == "error"
    assert transcript.outcome.message == "Nothing to sync"


def test_nil_send_request_is_recorded_as_none_and_treated_like_empty():
    server = ScriptedQbwcServer(answers={"sendRequestXML": NIL})
    transcript = make_wc(server).run_session()
    send = next(c for c in transcript.calls if c.method == "sendRequestXML")
    assert send.result is None
    assert server.methods[3:] == ["sendRequestXML", "getLastError", "closeConnection"]


@pytest.mark.parametrize("waiting", [["", ""], ["NoOp", "NOOP"]])
def test_noop_waits_five_simulated_seconds_and_hcp_not_resent(waiting):
    """An empty answer or "NoOp" from sendRequestXML asks for getLastError, whose "NoOp"
    pauses 5 seconds (guide p.72, p.80; p.8 writes "NOOP"); neither reaches QuickBooks
    (qbwc-to-n8n-bridge 1.0.0 answers "NoOp" when its queue is empty)."""
    clock = SimClock()
    start = clock.now()
    server = ScriptedQbwcServer(
        requests=["<A/>"],
        answers={"sendRequestXML": [*waiting, "<A/>"], "getLastError": ["NoOp", "noop"]},
    )
    qb = StandInQuickBooks()
    transcript = make_wc(server, qb, clock=clock).run_session()
    assert server.methods[3:] == [
        "sendRequestXML",
        "getLastError",
        "sendRequestXML",
        "getLastError",
        "sendRequestXML",
        "receiveResponseXML",
        "closeConnection",
    ]
    assert (clock.now() - start).total_seconds() == 10
    hcps = [c.args["strHCPResponse"] for c in server.calls("sendRequestXML")]
    assert hcps[0] != "" and hcps[1:] == ["", ""]
    assert [x.request for x in transcript.qbxml] == ["<A/>"]
    assert transcript.outcome.status == "completed"


def test_noop_then_an_empty_last_error_ends_the_session_with_nothing_sent():
    server = ScriptedQbwcServer(requests=[], answers={"sendRequestXML": "NoOp", "getLastError": ""})
    transcript = make_wc(server).run_session()
    assert server.methods[3:] == ["sendRequestXML", "getLastError", "closeConnection"]
    assert transcript.qbxml == [] and transcript.outcome.status == "error"


def test_noop_forever_is_bounded():
    server = ScriptedQbwcServer(requests=[], answers={"getLastError": "NoOp"})
    transcript = make_wc(server, max_noop_waits=3).run_session()
    assert server.methods.count("getLastError") == 4
    assert transcript.outcome.status == "stopped" and "NoOp" in transcript.outcome.message


def test_interactive_mode_reported_as_unsupported():
    server = ScriptedQbwcServer(requests=[], answers={"getLastError": "Interactive mode"})
    transcript = make_wc(server).run_session()
    assert server.methods[-1] == "closeConnection"
    assert "interactive mode" in transcript.outcome.message.lower()


def test_negative_receive_calls_get_last_error_then_close():
    server = ScriptedQbwcServer(
        answers={"receiveResponseXML": -1, "getLastError": "Mapping failed"}
    )
    transcript = make_wc(server).run_session()
    assert server.methods[3:] == [
        "sendRequestXML",
        "receiveResponseXML",
        "getLastError",
        "closeConnection",
    ]
    assert transcript.outcome == transcript.outcome.__class__("error", "Mapping failed", None)


def test_quickbooks_error_sends_empty_response_with_hresult():
    server = ScriptedQbwcServer(requests=["<PARSE-ERROR/>", "<B/>"])
    transcript = make_wc(server).run_session()
    first = server.calls("receiveResponseXML")[0].args
    assert first["response"] == ""
    assert first["hresult"] == "0x80040400"
    assert first["message"] == "QuickBooks found an error when parsing the XML"
    assert transcript.qbxml[0].hresult == "0x80040400"
    assert transcript.outcome.status == "completed"


def test_client_version_warning_error_and_other():
    server = ScriptedQbwcServer(answers={"clientVersion": "W:please upgrade"}, requests=[])
    assert make_wc(server).run_session().methods()[2] == "authenticate"
    server = ScriptedQbwcServer(answers={"clientVersion": "W:please upgrade"})
    refused = make_wc(server, accept_version_warning=False).run_session()
    assert refused.outcome.code == "QBWC1037" and server.methods == [
        "serverVersion",
        "clientVersion",
    ]
    server = ScriptedQbwcServer(answers={"clientVersion": "E:too old"})
    out = make_wc(server).run_session()
    assert (out.outcome.code, server.methods) == ("QBWC1037", ["serverVersion", "clientVersion"])
    assert "too old" in out.outcome.message
    server = ScriptedQbwcServer(answers={"clientVersion": "O:2.3.0.200"})
    assert "2.3.0.200" in make_wc(server).run_session().outcome.message
    server = ScriptedQbwcServer(answers={"clientVersion": "gibberish"}, requests=[])
    other = make_wc(server).run_session()
    assert server.methods[2] == "authenticate"  # guide p.21: only E: and O: stop
    assert "gibberish" in other.notes[0].text


def test_missing_server_and_client_version_are_tolerated():
    server = ScriptedQbwcServer(
        answers={
            "serverVersion": soap_fault("no such method"),
            "clientVersion": soap_fault("no such method"),
        },
        requests=["<A/>"],
    )
    transcript = make_wc(server).run_session()
    assert transcript.outcome.status == "completed"
    assert len(transcript.notes) == 2


def test_progress_above_100_reads_as_done():
    server = ScriptedQbwcServer(requests=["<A/>", "<B/>"], answers={"receiveResponseXML": 150})
    transcript = make_wc(server).run_session()
    assert server.methods.count("sendRequestXML") == 1
    assert transcript.progress == [100]


def test_max_requests_bounds_a_runaway_connector():
    server = ScriptedQbwcServer(
        answers={"sendRequestXML": lambda a: "<A/>", "receiveResponseXML": 1}
    )
    transcript = make_wc(server, max_requests=5).run_session()
    assert len(transcript.qbxml) == 5
    assert server.methods[-1] == "closeConnection"
    assert transcript.outcome.status == "stopped"


def test_qbwc_log_lines_follow_calls():
    transcript = make_wc(ScriptedQbwcServer(requests=["<A/>"])).run_session()
    log = transcript.to_qbwc_log()
    calling = [line for line in log.splitlines() if "*** Calling" in line]
    assert [line.split("*** Calling ")[1] for line in calling] == [
        f"{m}()." for m in transcript.methods()
    ]
    assert log.splitlines()[0].startswith("20260105.14:00:00 UTC\t: QBWebConnector.")


def test_hcp_failure_is_qbwc1014_before_any_send_request():
    from wc_support import StandInError

    class NoHcp(StandInQuickBooks):
        def hcp_response(self) -> str:
            raise StandInError(0x80040402, "unexpected error")

    server = ScriptedQbwcServer()
    transcript = make_wc(server, NoHcp()).run_session()
    assert transcript.outcome.code == "QBWC1014"
    assert "0x80040402" in transcript.outcome.message
    assert "sendRequestXML" not in server.methods


def test_qbpos_application_gets_the_pos_hcp_text():
    from harness.webconnector import QBPOS_HCP_RESPONSE

    server = ScriptedQbwcServer(requests=["<A/>"])
    qb = StandInQuickBooks()
    wc = WebConnector(
        qwc=QwcFile.load(qwc_text().replace("QBFS", "QBPOS")),
        password="p",
        quickbooks=qb,
        transport=WsgiTransport(server),
    )
    wc.run_session()
    assert server.calls("sendRequestXML")[0].args["strHCPResponse"] == QBPOS_HCP_RESPONSE
    assert qb.hcp_calls == 0


def test_repr_hides_password():
    wc = make_wc(ScriptedQbwcServer())
    assert PASSWORD not in repr(wc) and PASSWORD not in repr(vars(wc).get("client"))


def test_qbxml_version_and_country_come_from_quickbooks():
    qb = StandInQuickBooks()
    qb.settings.supported_qbxml_versions = ("2.0", "12.0", "13.0", "8.0")
    qb.settings.country = "CA"
    server = ScriptedQbwcServer(requests=["<A/>"])
    make_wc(server, qb).run_session()
    args = server.calls("sendRequestXML")[0].args
    assert (args["qbXMLCountry"], args["qbXMLMajorVers"], args["qbXMLMinorVers"]) == (
        "CA",
        "13",
        "0",
    )
    server = ScriptedQbwcServer(requests=["<A/>"])
    make_wc(server, qb, qbxml_major=12, qbxml_minor=1, qbxml_country="US").run_session()
    args = server.calls("sendRequestXML")[0].args
    assert (args["qbXMLCountry"], args["qbXMLMajorVers"], args["qbXMLMinorVers"]) == (
        "US",
        "12",
        "1",
    )


def test_file_id_registered_on_first_connection_only():
    qb = StandInQuickBooks()
    qb.settings.owner_id = None
    qb.settings.file_id = None
    make_wc(ScriptedQbwcServer(requests=[]), qb).run_session()
    assert qb.settings.owner_id == "{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}"
    assert qb.settings.file_id == "{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}"
    qb.settings.file_id = "{00000000-0000-0000-0000-000000000000}"
    make_wc(ScriptedQbwcServer(requests=[]), qb).run_session()
    assert qb.settings.file_id == "{00000000-0000-0000-0000-000000000000}"  # not overwritten
    untouched = StandInQuickBooks()  # no owner_id attribute: nothing is added
    make_wc(ScriptedQbwcServer(requests=[]), untouched).run_session()
    assert not hasattr(untouched.settings, "owner_id")
