"""`qbwc-harness fuzz`: progress, the summary figures, and the exit status."""

from __future__ import annotations

from click.testing import CliRunner

from harness.cli import cli


def test_fuzz_prints_its_figures_and_exits_0_without_a_violation(tmp_path):
    out = tmp_path / "findings"
    result = CliRunner().invoke(
        cli, ["fuzz", "--examples", "3", "--steps", "5", "--seed", "7", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith("examples run: ")
    for figure in ("steps: ", "time: ", "violations: 0"):
        assert figure in summary
    assert not out.exists()


def test_fuzz_refuses_an_unknown_area_with_the_known_ones_and_exit_2(tmp_path):
    result = CliRunner().invoke(
        cli, ["fuzz", "--only", "stock-typo", "--out", str(tmp_path / "findings")]
    )
    assert result.exit_code == 2, result.output
    assert "error: --only: unknown area or rule stock-typo; areas: invoices" in result.output
    assert "Traceback" not in result.output


def test_fuzz_narrowed_to_one_area_runs_only_its_rules_and_the_syncs(tmp_path):
    from harness.fuzz import FuzzConfig, fuzz

    report = fuzz(
        FuzzConfig(examples=3, steps=8, seed=3, out=tmp_path, only=frozenset({"customers"}))
    )
    assert report.rule_counts, report.summary()
    assert set(report.rule_counts) <= {
        "app_edit_customer",
        "app_delete_customer",
        "app_edit_customer_edited_in_qbd",
        "qbd_edit_customer",
        "qbd_edit_customer_edited_in_app",
        "sync",
        "concurrent_sync",
        "same_user_concurrent_sync",
    }
