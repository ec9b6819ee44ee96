"""A ``restart_after_call`` fault against a connector that is not ours is refused when it is
armed, before any session is cut between a sendRequestXML and its receiveResponseXML: the
scenario is skipped (certify: inconclusive), and the vendor's service keeps no half session."""

from __future__ import annotations

from pathlib import Path

from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_scenario
from harness.world import ExternalConnector, WorldOptions

TEXT = """\
id: restart-inside
title: t
behaviors: [SYNC-03]
steps:
  - fault: {name: restart_after_call, method: sendRequestXML, nth: 1}
  - sync
expect: {}
"""


def test_a_vendor_connector_is_not_restarted_inside_a_session():
    loaded = load_scenario(Path("s.yaml"), default_registry(), TEXT)
    vendor = ExternalConnector("https://vendor.invalid/qbwc", "secret")
    result = run_scenario(loaded, RunOptions(WorldOptions(external=vendor)))
    assert result.status == "skipped"
    assert result.reason == (
        "needs a connector restart: the connector at https://vendor.invalid/qbwc cannot be "
        "restarted by the harness"
    )
    assert result.transcripts == []  # refused before the sync step: no session began
