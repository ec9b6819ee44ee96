"""``profiles: [a, b]``: one file runs once per connector profile, and every report (the
terminal, JUnit, HTML, the pytest plugin) shows each run on its own as ``<id>[<profile>]``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli import cli
from harness.runner.run import RunOptions, run_scenario
from harness.scenario import ScenarioError, default_registry, load_runs, load_scenario
from harness.world import WorldOptions

REPO = Path(__file__).resolve().parents[2]
PAY_02 = (REPO / "scenarios" / "payments" / "pay-02-full-payment.yaml").read_text()
#: pay-02 under two profiles: the reference defaults pull the QuickBooks payment into the app
#: (it passes); Syncro's profile keeps payments made in QuickBooks there (it fails).
TWO = PAY_02.replace(
    "tags: [payments, smoke]", "tags: [payments, smoke]\nprofiles: [default, syncro]"
)


def test_a_file_with_profiles_is_one_run_per_profile(tmp_path):
    runs = load_runs(tmp_path / "two.yaml", default_registry(), TWO)
    assert [(r.id, r.scenario.profile, r.scenario.profiles) for r in runs] == [
        ("pay-02-full-payment[default]", "default", None),
        ("pay-02-full-payment[syncro]", "syncro", None),
    ]
    assert load_runs(tmp_path / "one.yaml", default_registry(), PAY_02)[0].id == (
        "pay-02-full-payment"
    )


@pytest.mark.parametrize(
    ("extra", "line", "says"),
    [
        ("profile: zuper\nprofiles: [default, zuper]", 7, "not both"),
        ("profiles: [zuper, zuper]", 6, "a profile is named twice"),
        ("profiles: [zuper]", 6, "at least 2 items"),
    ],
)
def test_profiles_written_wrong_are_refused_at_load(tmp_path, extra, line, says):
    text = PAY_02.replace("tags: [payments, smoke]", f"tags: [payments, smoke]\n{extra}")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "bad.yaml", default_registry(), text)
    [problem] = caught.value.problems
    assert (problem.line, says in problem.message) == (line, True), str(problem)


KNOWN = "(known: altpay, default, syncro, taxdome, zuper)"


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ("profiles: [default, zupper]", 6),
        ("profiles:\n  - default\n  - zuper\n  - syncr0", 9),  # the entry's own line
        ("profile: zupper", 6),
    ],
    ids=["in-profiles", "in-a-block-list", "profile"],
)
def test_an_unknown_profile_is_refused_at_load_naming_the_known_ones(tmp_path, extra, line):
    text = PAY_02.replace("tags: [payments, smoke]", f"tags: [payments, smoke]\n{extra}")
    with pytest.raises(ScenarioError) as caught:
        load_runs(tmp_path / "bad.yaml", default_registry(), text)
    [problem] = caught.value.problems
    assert problem.line == line, str(problem)
    assert problem.message.startswith("unknown profile '") and KNOWN in problem.message


def test_validate_refuses_an_unknown_profile_with_file_line_and_exit_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(TWO.replace("profiles: [default, syncro]", "profiles: [default, Syncro]"))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:6: unknown profile 'Syncro' {KNOWN}" in result.output
    assert "Traceback" not in result.output


def test_a_file_with_profiles_is_not_run_as_one(tmp_path):
    loaded = load_scenario(tmp_path / "two.yaml", default_registry(), TWO)
    with pytest.raises(ValueError, match="load it with load_runs"):
        run_scenario(loaded, RunOptions(WorldOptions()))


@pytest.fixture
def two_profiles(tmp_path: Path) -> Path:
    path = tmp_path / "scenarios" / "two.yaml"
    path.parent.mkdir()
    path.write_text(TWO)
    return path


def test_run_reports_each_profile_in_the_terminal_junit_and_html(two_profiles, tmp_path):
    junit, html, matrix = tmp_path / "r.xml", tmp_path / "r.html", tmp_path / "r.md"
    options = ["--junit", str(junit), "--html", str(html), "--markdown", str(matrix)]
    result = CliRunner().invoke(cli, ["run", str(two_profiles), *options])
    assert result.exit_code == 1, result.output
    assert "PASSED   pay-02-full-payment[default]" in result.output
    assert "FAILED   pay-02-full-payment[syncro]" in result.output
    xml = junit.read_text()
    assert xml.count("<testcase") == 2
    assert 'name="pay-02-full-payment[default]"' in xml
    assert 'name="pay-02-full-payment[syncro]"' in xml
    assert '<property name="profile" value="syncro"/>' in xml
    page = html.read_text()
    assert "pay-02-full-payment[default]" in page and "pay-02-full-payment[syncro]" in page
    assert "| behavior | default | syncro |" in matrix.read_text()  # behavior x profile


def test_show_prints_each_runs_transcript_under_its_id(two_profiles):
    result = CliRunner().invoke(cli, ["show", str(two_profiles)])
    assert result.exit_code == 1  # the syncro run fails
    out = result.output
    first, second = (
        out.index("### pay-02-full-payment[default]"),
        out.index("### pay-02-full-payment[syncro]"),
    )
    assert first < out.index("=== session 1", first) < second
    assert "pay-02-full-payment[default]: passed" in out
    assert "pay-02-full-payment[syncro]: failed" in out


def test_profile_option_picks_one_run_of_the_file(two_profiles):
    result = CliRunner().invoke(cli, ["run", str(two_profiles), "--profile", "default", "-q"])
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed" in result.output


def test_the_pytest_plugin_collects_one_item_per_profile(pytester: pytest.Pytester):
    (pytester.mkdir("scenarios") / "two.yaml").write_text(TWO)
    result = pytester.runpytest("-p", "no:cacheprovider", "-v", "--qbwc-html", "report.html")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*two.yaml::pay-02-full-payment?default? PASSED*",
            "*two.yaml::pay-02-full-payment?syncro? FAILED*",
        ]
    )
    page = (pytester.path / "report.html").read_text()
    assert "pay-02-full-payment[syncro]" in page
