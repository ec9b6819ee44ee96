"""``session`` (an index or ``all``), ``message_set`` and a list of ``transcript`` checks:
``responses``, ``hresult`` and ``call_checks`` of any session and any message set."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.runner.run import RunOptions, run_scenario
from harness.scenario import ScenarioError, default_registry, load_scenario
from harness.world import WorldOptions

#: Two sessions: the first adds the customer (its first message set), then reads
#: QuickBooks (its last one: deleted payments); the second has no customer to add.
HEAD = """\
id: selectors
title: session and message-set selectors
behaviors: [SYNC-01]
config: {customer_direction: to_qbd}
given:
  app:
    - create_customer: {name: Acme Plumbing}
steps:
  - sync
  - clock: {advance: 300}
  - sync
expect:
"""


def _run(expect: str):
    loaded = load_scenario(Path("s.yaml"), default_registry(), text=HEAD + expect)
    result = run_scenario(loaded, RunOptions(WorldOptions()))
    return result, (result.failure.render(Path("s.yaml")) if result.failure else "")


def test_a_message_set_is_picked_by_its_position_in_a_chosen_session():
    result, shown = _run(
        "  transcript:\n"
        "    - {session: 0, message_set: 1, responses: [{request: CustomerAdd, status_code: 0}]}\n"
        "    - {session: 0, responses: [{request: TxnDeletedQuery, status_code: 1}]}\n"
        "    - {session: 1, message_set: 1, responses: [{request: InvoiceQuery}]}\n"
    )
    assert result.status == "passed", shown


def test_a_difference_names_the_session_and_the_message_set():
    result, shown = _run(
        "  transcript: {session: 0, message_set: 1, responses: [{request: InvoiceQuery}]}\n"
    )
    assert result.status == "failed"
    assert (
        "transcript.sessions[0].message_sets[1].responses[0].request: expected 'InvoiceQuery', "
        "got 'CustomerAdd'" in shown
    )


def test_a_message_set_the_session_lacks_is_a_difference():
    result, shown = _run("  transcript: {message_set: 40, responses: []}\n")
    assert result.status == "failed"
    assert "transcript.message_set: expected 'message set 40', got '" in shown


def test_session_all_checks_every_session_and_names_each_that_differs():
    passing, shown = _run(
        "  transcript:\n    session: all\n    outcome: completed\n"
        "    call_checks: [{method: closeConnection, nth: -1, error: false}]\n"
    )
    assert passing.status == "passed", shown
    failing, shown = _run(
        "  transcript: {session: all, message_set: 1, responses: [{request: CustomerAdd}]}\n"
    )
    assert failing.status == "failed"
    assert "transcript.sessions[0]" not in shown  # the first session did add the customer
    assert (
        "transcript.sessions[1].message_sets[1].responses[0].request: expected 'CustomerAdd'"
        in shown
    )


def test_message_set_zero_is_refused_at_its_line(tmp_path):
    text = HEAD + "  transcript: {message_set: 0, responses: []}\n"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "s.yaml", default_registry(), text)
    [problem] = caught.value.problems
    assert problem.line == 13 and "message sets count from 1" in problem.message


def test_session_all_with_no_session_is_a_difference(tmp_path):
    text = "id: none\ntitle: t\nbehaviors: [WC-01]\nexpect:\n  transcript: {session: all}\n"
    loaded = load_scenario(tmp_path / "s.yaml", default_registry(), text)
    result = run_scenario(loaded, RunOptions(WorldOptions()))
    assert result.status == "failed"
    assert result.failure is not None
    assert [str(m) for m in result.failure.mismatches] == [
        "transcript.session: expected 'all sessions', got 'none ran'"
    ]
