"""Every qbXML message that crosses the Web Connector in a scenario run — the connector's
requests, the fake company's responses and the HCP response — validates against Intuit's
qbXML 13.0 schema. One scenario per area keeps this fast; each touches many message types."""

from pathlib import Path

import pytest
from lxml import etree

from harness.runner.run import run_scenario
from harness.scenario import default_registry, load_scenario

REPO = Path(__file__).resolve().parents[2]
SAMPLES = [
    "payments/pay-09-split-qbd-to-app.yaml",
    "payments/pay-15-deposits-to-bank.yaml",
    "payments/pay-05-edited-app-payment.yaml",
    "invoices/ivc-13-sales-tax-to-the-cent.yaml",
    "invoices/ivc-11-initial-twelve-months-first.yaml",
    "customers/cus-03-sub-customers-top-level.yaml",
    "inventory/inv-13-advanced-inventory-sites.yaml",
    "inventory/inv-08-receipt-raises-po-does-not.yaml",
    "sync/sync-04-paged-reads.yaml",
]


@pytest.mark.parametrize("scenario", SAMPLES)
def test_every_qbxml_message_of_a_run_validates(scenario, qbxml_schema):
    path = REPO / "scenarios" / scenario
    result = run_scenario(load_scenario(path, default_registry()))
    assert result.status == "passed", result.failure and result.failure.render(path)
    messages = []
    for transcript in result.transcripts:
        for event in transcript["events"]:
            if event["kind"] == "qbxml":
                messages += [event["request"], event["response"]]
            elif event["kind"] == "soap" and event["method"] == "sendRequestXML":
                messages.append(event["arguments"].get("strHCPResponse") or "")
    messages = [m for m in messages if m]
    assert len(messages) > 4
    for message in messages:
        document = etree.fromstring(message.encode("utf-8"))
        assert qbxml_schema.validate(document), f"{qbxml_schema.error_log}\n{message[:2000]}"
