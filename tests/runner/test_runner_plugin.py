"""The pytest plugin, run the way a user runs it: pytest on a folder of scenario files."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAY_02 = (REPO / "scenarios" / "payments" / "pay-02-full-payment.yaml").read_text()


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    folder = pytester.mkdir("scenarios")
    (folder / "pay-02.yaml").write_text(PAY_02)
    failing = PAY_02.replace("id: pay-02-full-payment", "id: wrong-expectation").replace(
        "status: paid", "status: void"
    )
    (folder / "wrong.yaml").write_text(failing)
    expected = failing.replace("id: wrong-expectation", "id: known-limitation").replace(
        "tags: [payments, smoke]", "tags: [payments]\nxfail: a documented limitation"
    )
    (folder / "xfail.yaml").write_text(expected)
    (folder / "broken.yaml").write_text("id: broken\ntitle: t\nbehaviors: [NOPE-1]\n")
    (folder / "notes.txt").write_text("not a scenario")
    return pytester


def test_scenarios_are_collected_as_items_with_their_tags_as_marks(suite):
    result = suite.runpytest("--collect-only", "-q", "-m", "smoke")
    result.stdout.fnmatch_lines(["*pay-02.yaml::pay-02-full-payment*", "*wrong.yaml::*"])
    assert "known-limitation" not in result.stdout.str()


def test_outcomes_failures_and_bad_files(suite):
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2, xfailed=1)
    out = result.stdout.str()
    assert "app.invoices[1001].status: expected 'void', got 'paid'" in out
    assert "broken.yaml:3: behaviors: unknown behavior ID NOPE-1" in out
    assert "qbwc-harness show" in out


def test_html_report_option(suite):
    suite.runpytest("--qbwc-html", "report.html", "-k", "pay-02")
    html = (suite.path / "report.html").read_text()
    assert "pay-02-full-payment" in html and "passed" in html


@pytest.mark.slow  # starts two xdist workers
def test_html_report_with_xdist_workers_is_written_by_the_controller(suite):
    pytest.importorskip("xdist")
    result = suite.runpytest_subprocess("--qbwc-html", "report.html", "-n", "2", "-k", "not broken")
    result.assert_outcomes(passed=1, failed=1, xfailed=1)
    html = (suite.path / "report.html").read_text()
    for scenario in ("pay-02-full-payment", "wrong-expectation", "known-limitation"):
        assert scenario in html
    assert "HTML report of 3 scenario(s) written to report.html" in result.stdout.str()


def test_html_report_option_says_when_no_scenario_ran(suite):
    result = suite.runpytest("--qbwc-html", "report.html", "-k", "nothing-matches")
    assert "no scenario ran, so no HTML report was written" in result.stdout.str()
    assert not (suite.path / "report.html").exists()


def test_world_fixture_gives_python_tests_the_same_world(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        def test_sync(qbwc_world):
            qbwc_world.app.create_customer(name="Acme")
            transcript = qbwc_world.sync()
            assert transcript.outcome.status == "completed"
            names = [c["FullName"] for c in qbwc_world.qbd.snapshot()["Customer"]]
            assert names == ["Acme"]
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)
