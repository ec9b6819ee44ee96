"""A fault the scenario planted that never fired: a pass proves nothing (inconclusive,
cause ``fault-not-reached``); a failure stands; every report names the fault."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from harness.report.junit import write_junit
from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_scenario
from harness.world import WorldOptions

SCENARIO = """\
id: unfired
title: A fault aimed at a request the connector never sends
behaviors: [SYNC-03]
config: {{customer_direction: to_qbd, invoice_direction: to_qbd}}
given:
  app:
    - create_customer: {{name: Acme Plumbing}}
steps:
  - {plant}
  - sync
expect:
  qbd_counts: {{Customer: {customers}}}
"""


def _run(plant: str, customers: int = 1):
    text = SCENARIO.format(plant=plant, customers=customers)
    loaded = load_scenario(Path("unfired.yaml"), default_registry(), text=text)
    return run_scenario(loaded, RunOptions(WorldOptions()))


def test_a_pass_whose_web_connector_fault_never_fired_is_inconclusive():
    result = _run("fault: {name: quickbooks_busy_mid_session, request: BillAdd}")
    assert result.status == "inconclusive"
    assert result.cause == "fault-not-reached"
    assert "fault quickbooks_busy_mid_session on BillAdd #1 was never reached" in result.reason
    # and among the warnings, which every report lists whatever the verdict
    assert result.warnings == ["fault quickbooks_busy_mid_session on BillAdd #1 never fired"]


def test_a_pass_whose_quickbooks_status_fault_never_fired_is_inconclusive():
    result = _run("qbd.fail_requests: {fault: permission_denied, request: BillAdd, nth: 2}")
    assert result.status == "inconclusive"
    assert "fault permission_denied on BillAdd #2 was never reached" in result.reason


def test_a_failure_stands_with_a_warning_naming_the_fault():
    result = _run("fault: {name: drop_after_apply, request: InvoiceAdd}", customers=2)
    assert result.status == "failed"
    assert result.warnings == [
        "fault drop_after_apply receiveResponseXML after InvoiceAdd #1 never fired"
    ]


def test_a_fault_that_fired_changes_nothing():
    result = _run("fault: {name: quickbooks_busy_mid_session, request: CustomerAdd}", customers=0)
    assert result.status == "passed", result.failure
    assert result.warnings == [] and result.cause is None


def test_junit_reports_the_unreached_fault_as_skipped_with_its_cause(tmp_path):
    result = _run("fault: {name: qbxml_parse_error, request: BillAdd}")
    write_junit([result], tmp_path / "junit.xml")
    skipped = etree.parse(str(tmp_path / "junit.xml")).find(".//testcase/skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("inconclusive (fault-not-reached): the fault")
    assert "qbxml_parse_error on BillAdd #1" in skipped.get("message", "")
