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
