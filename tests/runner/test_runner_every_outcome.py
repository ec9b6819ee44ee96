"""``transcript.every_outcome_in``: every session of the scenario, whoever ran it, ended one
of the allowed ways; a session that did not is named with what the user saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_scenario
from harness.world import WorldOptions

SCENARIO = """\
id: every-outcome
title: One run broken by a dropped connection, the next completes
behaviors: [WC-01]
steps:
  - fault: {{name: drop_before_call, method: sendRequestXML}}
  - sync
  - sync
expect:
  transcript:
    every_outcome_in: {allowed}
"""


def _run(allowed: list[str]):
    text = SCENARIO.format(allowed=allowed)
    loaded = load_scenario(Path("every-outcome.yaml"), default_registry(), text=text)
    return run_scenario(loaded, RunOptions(WorldOptions()))


def test_a_session_ended_otherwise_is_named_with_what_the_user_saw():
    result = _run(["completed", "none", "busy"])
    assert result.status == "failed"
    shown = result.failure.render(Path("every-outcome.yaml"))
    assert "transcript.sessions[0] (harness)" in shown
    assert "error (QBWC1041: SendRequestXML failed" in shown
    assert "sessions[1]" not in shown  # the second run completed


@pytest.mark.parametrize("allowed", [["completed", "error"], ["error", "completed", "busy"]])
def test_every_session_ended_an_allowed_way(allowed):
    assert _run(allowed).status == "passed"
