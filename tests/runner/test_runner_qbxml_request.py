"""``qbxml_request`` hands a message set straight to the fake QuickBooks; ``responses`` and
``hresult`` check its answer, and say what differs."""

from __future__ import annotations

from pathlib import Path

from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_scenario
from harness.world import WorldOptions

QUERY = (
    '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
    '<CustomerQueryRq requestID="q1"><FullName>Nobody</FullName></CustomerQueryRq>'
    "</QBXMLMsgsRq></QBXML>"
)


def _run(steps: str, expect: str):
    text = (
        f"id: direct\ntitle: direct qbXML\nbehaviors: [QBD-05]\nsteps:\n{steps}\nexpect:\n{expect}"
    )
    loaded = load_scenario(Path("direct.yaml"), default_registry(), text=text)
    result = run_scenario(loaded, RunOptions(WorldOptions()))
    return result, (result.failure.render(Path("direct.yaml")) if result.failure else "")


def test_a_name_filter_that_finds_nothing_answers_500_with_its_request_id():
    steps = f"  - qbxml_request: {{request: '{QUERY}'}}"
    expect = "  transcript: {hresult: '', responses: [{request_id: q1, status_code: 500}]}"
    result, shown = _run(steps, expect)
    assert result.status == "passed", shown


def test_a_different_number_of_responses_lists_what_came_back():
    steps = f"  - qbxml_request: {{request: '{QUERY}'}}"
    result, shown = _run(steps, "  transcript: {responses: [{status_code: 1}, {status_code: 0}]}")
    assert result.status == "failed"
    assert "transcript.responses: expected 2, got ['CustomerQuery #q1: 500']" in shown


def test_a_session_without_qbxml_says_so():
    result, shown = _run("  - soap_call: {method: serverVersion}", "  transcript: {responses: []}")
    assert result.status == "failed"
    assert "transcript.responses: expected 'a qbXML exchange', got 'none in the session'" in shown
