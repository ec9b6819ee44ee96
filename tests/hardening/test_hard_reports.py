"""Reports are written whatever a vendor sends (issue 23 item 13): characters XML cannot
carry, from a vendor's HTTP reason phrase or Content-Type, do not stop the JUnit writer."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from harness.report.junit import write_junit
from harness.runner.results import Failure, ScenarioResult

#: What a hostile vendor put into its reason phrase and Content-Type.
HOSTILE = "Bad\x0bReason\x00\x1b[31m\ufffe"


def test_the_junit_writer_survives_control_characters(tmp_path: Path) -> None:
    failed = ScenarioResult(
        "wc-01", "t", Path("scenarios/protocol/wc-01.yaml"), ["WC-01"], [], "default", "failed"
    )
    failed.failure = Failure("sync", 3, f"The request failed with HTTP status 500: {HOSTILE}.")
    failed.qbwc_log = f"Client found response content type of 'text/{HOSTILE}'"
    skipped = ScenarioResult(
        "wc-02", "t", Path("scenarios/protocol/wc-02.yaml"), ["WC-02"], [], "default", "skipped"
    )
    skipped.reason = HOSTILE
    path = tmp_path / "junit.xml"
    write_junit([failed, skipped], path)
    suite = etree.parse(str(path)).getroot()  # well-formed XML
    failure = suite.find("testcase/failure")
    assert failure is not None
    assert "Bad\\x0bReason\\x00\\x1b[31m\\ufffe." in failure.get("message", "")
    assert "\\x0b" in suite.findtext("testcase/system-out", "")
    assert "\\x00" in suite.find("testcase/skipped").get("message", "")
