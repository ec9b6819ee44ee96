"""``concurrent_sync: {first_holds: InvoiceAdd}``: the first Web Connector holds the request
of that type it was handed while the others sync. Never handed one, the race the scenario
is about never happened: the run is inconclusive (cause ``request-not-handed``), whatever
its checks would have found. (The holding itself: tests/webconnector/test_wc_scheduler.py;
a race it sets up: scenarios/regressions/two-computers-invoice-in-flight-payment-waits.yaml
and its variant in tests/variants/test_mutants_fieldcases.py.)"""

from __future__ import annotations

from pathlib import Path

from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_scenario
from harness.world import WorldOptions

# No invoice in the app: the first session sends the CustomerAdd and ends, never handed
# an InvoiceAdd. The final check (one invoice) would fail.
SCENARIO = """\
id: never-held
title: The first computer is to hold an InvoiceAdd the service never sends
behaviors: [WC-14]
config: {customer_direction: to_qbd, invoice_direction: to_qbd}
given:
  web_connectors:
    office-2: {}
  app:
    - create_customer: {name: Acme Plumbing}
steps:
  - concurrent_sync:
      web_connectors: [default, office-2]
      first_holds: InvoiceAdd
expect:
  qbd_counts: {Invoice: 1}
"""


def test_a_first_web_connector_never_handed_the_request_makes_the_run_inconclusive():
    loaded = load_scenario(Path("never-held.yaml"), default_registry(), text=SCENARIO)
    result = run_scenario(loaded, RunOptions(WorldOptions()))
    assert result.status == "inconclusive"
    assert result.cause == "request-not-handed"
    assert result.reason.startswith("line 11: concurrent_sync: the Web Connector 'default' ")
    assert "was never handed the InvoiceAdd it was to hold" in result.reason
    assert result.failure is None
    # both sessions ran and are in the report: the first to its end, then the second
    assert len(result.transcripts) == 2
