"""Reports from synthetic results: grouped by behavior, every status, a readable failure."""

from pathlib import Path

from lxml import etree

from harness.report.html import render_html
from harness.report.junit import write_junit
from harness.report.markdown import render_matrix
from harness.report.summary import behavior_rows, closing_line, grouped_warnings, warning_line
from harness.runner.compare import Mismatch
from harness.runner.results import Failure, ScenarioResult

TRANSCRIPT = {
    "outcome": {"status": "completed", "code": None, "message": ""},
    "events": [
        {
            "seq": 1,
            "kind": "soap",
            "method": "authenticate",
            "arguments": {"strUserName": "u", "strPassword": "REDACTED"},
            "sim_time": "2026-01-05T09:00:00-05:00",
            "result": ["t", ""],
            "error": None,
        },
        {
            "seq": 2,
            "kind": "qbxml",
            "sim_time": "2026-01-05T09:00:00-05:00",
            "request": "<QBXML><QBXMLMsgsRq><InvoiceAddRq/></QBXMLMsgsRq></QBXML>",
            "response": "<QBXML/>",
            "hresult": "",
            "message": "",
        },
    ],
}


def _result(
    rid: str, status: str, behaviors: list[str], profile: str = "default"
) -> ScenarioResult:
    failure = None
    if status == "failed":
        failure = Failure(
            "expect", 12, "1 difference(s)", [Mismatch("app.invoices[1001].status", "paid", "open")]
        )
    return ScenarioResult(
        id=rid,
        title=f"title of {rid}",
        path=Path(f"scenarios/{rid}.yaml"),
        behaviors=behaviors,
        tags=[],
        profile=profile,
        status=status,
        failure=failure,
        reason="Syncro cannot" if status == "xfailed" else None,
        transcripts=[TRANSCRIPT],
        qbwc_log="20260105.09:00:00 authenticate",
    )


RESULTS = [
    _result("a", "passed", ["WC-01", "PAY-02"]),
    _result("b", "failed", ["PAY-02"]),
    _result("c", "xfailed", ["IVC-02"], profile="syncro"),
    _result("d", "skipped", ["WC-03"]),
]


def test_behavior_rows_take_the_worst_status_in_catalogue_order():
    rows = behavior_rows(RESULTS)
    assert [(r.id, r.status) for r in rows] == [
        ("WC-01", "passed"),
        ("WC-03", "skipped"),
        ("PAY-02", "failed"),
        ("IVC-02", "xfailed"),
    ]
    every = behavior_rows(RESULTS, all_ids=True)
    assert len(every) == 93 and sum(r.status == "not covered" for r in every) == 89


def test_closing_line_is_the_plain_form_ci_reads():
    assert closing_line(RESULTS) == "1 passed, 1 failed, 1 xfailed, 1 skipped"


def test_junit_has_one_case_per_scenario_with_behaviors(tmp_path):
    path = tmp_path / "junit.xml"
    write_junit(RESULTS, path)
    suite = etree.parse(str(path)).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "1", "2")
    failed = suite.find("testcase[@name='b']")
    assert "app.invoices[1001].status: expected 'paid', got 'open'" in failed.find("failure").text
    assert [p.get("value") for p in suite.findall("testcase[@name='a']/properties/property")] == [
        "WC-01",
        "PAY-02",
        "default",
    ]


def test_html_is_self_contained_and_shows_the_diff_and_transcript():
    page = render_html(RESULTS)
    assert "<script" not in page and "http://" not in page.replace("http://developer", "")
    doc = etree.HTML(page)
    assert doc.xpath("//table[@id='behaviors']//tr[td='PAY-02']/td[2]/text()") == ["failed"]
    assert "expected 'paid', got 'open'" in page
    assert "InvoiceAddRq" in page  # the qbXML transcript, escaped
    assert "REDACTED" in page


def test_markdown_matrix_is_behavior_by_profile():
    matrix = render_matrix(RESULTS)
    lines = matrix.splitlines()
    assert lines[0] == "| behavior | default | syncro |"
    assert "| PAY-02 | FAILED |  |" in lines
    assert "| IVC-02 |  | No (documented) |" in lines


def test_one_warning_raised_by_many_scenarios_is_said_once_with_their_names():
    results = [_result(f"wc-0{n}", "passed", ["WC-01"]) for n in range(1, 6)]
    for result in results:
        result.warnings = ["read as element content"]
    results[2].warnings.append("fault quickbooks_busy never fired")
    grouped = grouped_warnings(results)
    assert grouped == [
        (["wc-01", "wc-02", "wc-03", "wc-04", "wc-05"], "read as element content"),
        (["wc-03"], "fault quickbooks_busy never fired"),
    ]
    assert warning_line(*grouped[0]) == "wc-01, wc-02, wc-03 and 2 more: read as element content"
    assert warning_line(*grouped[1]) == "wc-03: fault quickbooks_busy never fired"
