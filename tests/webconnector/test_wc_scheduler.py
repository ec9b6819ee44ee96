"""Auto-run, manual runs, postponement and interleaved Web Connectors on the SimClock."""

from __future__ import annotations

import pytest
from wc_support import ScriptedQbwcServer, StandInQuickBooks, qwc_text

from harness.clock import SimClock
from harness.webconnector import (
    QwcFile,
    Scheduler,
    WebConnector,
    WebConnectorError,
    WsgiTransport,
    run_holding,
    run_interleaved,
)


def make_wc(server, clock, extra="", qb=None, name=None):
    text = qwc_text(extra)
    if name:
        text = text.replace("Harness Test App", name)
    return WebConnector(
        qwc=QwcFile.load(text),
        password="pw",
        quickbooks=qb or StandInQuickBooks(),
        transport=WsgiTransport(server),
        clock=clock,
    )


def test_default_interval_is_five_minutes_and_runs_fall_due():
    clock = SimClock()
    start = clock.now()
    scheduler = Scheduler(clock)
    server = ScriptedQbwcServer(requests=[])
    scheduler.add(make_wc(server, clock))
    assert scheduler.interval("Harness Test App") == 300
    assert scheduler.advance(299) == []
    runs = scheduler.advance(1 + 600)
    assert [r.kind for r in runs] == ["auto"] * 3
    assert [r.transcript.started_at for r in runs] == [
        (start.replace(minute=start.minute + m)).isoformat() for m in (5, 10, 15)
    ]
    assert (clock.now() - start).total_seconds() == 900


def test_qwc_scheduler_interval_used():
    clock = SimClock()
    scheduler = Scheduler(clock)
    scheduler.add(
        make_wc(
            ScriptedQbwcServer(requests=[]),
            clock,
            "<Scheduler><RunEveryNSeconds>30</RunEveryNSeconds></Scheduler>",
        )
    )
    assert len(scheduler.advance(90)) == 3


def test_manual_run_does_not_move_the_timer():
    clock = SimClock()
    scheduler = Scheduler(clock)
    scheduler.add(make_wc(ScriptedQbwcServer(requests=[]), clock))
    due = scheduler.next_run("Harness Test App")
    transcript = scheduler.run_now("Harness Test App")
    assert transcript.outcome.status == "error"  # sendRequestXML "" -> getLastError message
    assert scheduler.next_run("Harness Test App") == due
    assert [r.kind for r in scheduler.runs] == ["manual"]


def test_postpone_and_min_run_from_authenticate():
    clock = SimClock()
    scheduler = Scheduler(clock)
    answers = iter([["T", "", "60", "600"], ["T", "none"], ["T", "none"]])
    server = ScriptedQbwcServer(answers={"authenticate": lambda a: next(answers)})
    scheduler.add(make_wc(server, clock))
    first = scheduler.advance(300)
    assert [r.transcript.outcome.status for r in first] == ["postponed"]
    assert scheduler.interval("Harness Test App") == 600  # raised by the minimum
    second = scheduler.advance(60)  # postponed run comes back after 60 s
    assert [r.transcript.outcome.status for r in second] == ["none"]
    assert scheduler.advance(599) == []
    assert len(scheduler.advance(1)) == 1


def test_runs_of_one_application_never_overlap():
    clock = SimClock()
    scheduler = Scheduler(clock)
    errors: list[str] = []

    def reenter(_percent: int) -> None:
        try:
            scheduler.run_now("Harness Test App")
        except WebConnectorError as exc:
            errors.append(str(exc))

    wc = make_wc(ScriptedQbwcServer(requests=["<A/>"]), clock)
    wc.on_progress = reenter
    scheduler.add(wc)
    scheduler.run_now("Harness Test App")
    assert errors and "never overlap" in errors[0]


def test_bad_scheduler_use_is_a_clear_error():
    clock = SimClock()
    scheduler = Scheduler(clock)
    wc = make_wc(ScriptedQbwcServer(), clock)
    scheduler.add(wc)
    with pytest.raises(WebConnectorError, match="already scheduled"):
        scheduler.add(wc)
    with pytest.raises(WebConnectorError, match="no application named"):
        scheduler.run_now("Nope")
    with pytest.raises(WebConnectorError, match="different clock"):
        Scheduler(SimClock()).add(make_wc(ScriptedQbwcServer(), clock, name="Other"))


def test_two_web_connectors_interleaved_deterministically():
    clock = SimClock()
    qb = StandInQuickBooks()
    one = ScriptedQbwcServer(requests=["<One1/>", "<One2/>"])
    two = ScriptedQbwcServer(requests=["<Two1/>", "<Two2/>"])
    wcs = [make_wc(one, clock, qb=qb), make_wc(two, clock, qb=qb, name="Second")]
    transcripts = run_interleaved(wcs)
    assert [t.outcome.status for t in transcripts] == ["completed", "completed"]
    # round-robin: QuickBooks saw the two sessions' requests alternate
    assert qb.requests == ["<One1/>", "<Two1/>", "<One2/>", "<Two2/>"]
    qb2 = StandInQuickBooks()
    one = ScriptedQbwcServer(requests=["<One1/>", "<One2/>"])
    two = ScriptedQbwcServer(requests=["<Two1/>", "<Two2/>"])
    wcs = [make_wc(one, clock, qb=qb2), make_wc(two, clock, qb=qb2, name="Second")]
    run_interleaved(wcs, order=[0] * 7)  # the first runs to its end before the second starts
    assert qb2.requests == ["<One1/>", "<One2/>", "<Two1/>", "<Two2/>"]
    with pytest.raises(WebConnectorError, match="connector 5"):
        run_interleaved(wcs, order=[5])


def _qbxml(request_type: str, request_id: str) -> str:
    return (
        '<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
        f'<{request_type}Rq requestID="{request_id}"/></QBXMLMsgsRq></QBXML>'
    )


def test_the_first_web_connector_holds_the_request_of_that_type_while_the_second_syncs():
    clock = SimClock()
    qb = StandInQuickBooks()
    first = [_qbxml("CustomerAdd", "1"), _qbxml("InvoiceAdd", "2"), _qbxml("CustomerQuery", "3")]
    second = [_qbxml("CustomerQuery", "4"), _qbxml("CustomerQuery", "5")]
    wcs = [
        make_wc(ScriptedQbwcServer(requests=first), clock, qb=qb),
        make_wc(ScriptedQbwcServer(requests=second), clock, qb=qb, name="Second"),
    ]
    transcripts, handed = run_holding(wcs, "InvoiceAdd")
    assert handed
    assert [t.outcome.status for t in transcripts] == ["completed", "completed"]
    # the first was handed the InvoiceAdd, the second's whole session came before QuickBooks
    # saw it, then the first went on from there
    assert qb.requests == [first[0], *second, first[1], first[2]]


def test_a_first_web_connector_never_handed_the_request_says_so_and_runs_first():
    clock = SimClock()
    qb = StandInQuickBooks()
    first = [_qbxml("CustomerAdd", "1")]
    second = [_qbxml("InvoiceAdd", "2")]
    wcs = [
        make_wc(ScriptedQbwcServer(requests=first), clock, qb=qb),
        make_wc(ScriptedQbwcServer(requests=second), clock, qb=qb, name="Second"),
    ]
    transcripts, handed = run_holding(wcs, "InvoiceAdd")
    assert not handed
    assert len(transcripts) == 2
    assert qb.requests == [first[0], second[0]]


def test_one_web_connector_refuses_a_second_concurrent_session():
    clock = SimClock()
    wc = make_wc(ScriptedQbwcServer(requests=["<A/>"]), clock)
    first = wc.steps()
    next(first)  # a session is under way
    with pytest.raises(WebConnectorError, match="already running"):
        wc.run_session()
    for _ in first:
        pass
    assert wc.last_transcript is not None
    assert wc.last_transcript.outcome.status == "completed"
    assert wc.run_session().outcome.status in ("completed", "error")  # free again


def test_web_connectors_on_threads_share_faults_safely():
    import threading

    from harness.webconnector import Faults

    faults = Faults().quickbooks_not_running(times=1)
    clock = SimClock()
    results = []
    wcs = [make_wc(ScriptedQbwcServer(requests=["<A/>"]), clock, name=f"App{i}") for i in range(6)]
    for wc in wcs:
        wc.faults = faults
    threads = [threading.Thread(target=lambda w=wc: results.append(w.run_session())) for wc in wcs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(str(t.outcome.code) for t in results)
    assert codes.count("QBWC1013") == 1  # the fault fired exactly once
    assert len(results) == 6
