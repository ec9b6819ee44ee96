"""A behavior is "passed" only if every scenario measuring it ran and passed: in the run
reports too, a behavior whose other scenarios were skipped is "partial", never "passed"."""

from __future__ import annotations

from pathlib import Path

from harness.report.markdown import render_matrix
from harness.report.summary import behavior_rows
from harness.runner.results import ScenarioResult


def result(name: str, status: str) -> ScenarioResult:
    return ScenarioResult(name, name, Path(f"{name}.yaml"), ["WC-02"], [], "default", status)


def test_one_passed_and_one_skipped_is_partial() -> None:
    results = [result("a", "passed"), result("b", "skipped")]
    assert [row.status for row in behavior_rows(results)] == ["partial"]
    assert "| WC-02 | partial (some scenarios did not run) |" in render_matrix(results)


def test_all_passed_is_passed() -> None:
    results = [result("a", "passed"), result("b", "passed")]
    assert [row.status for row in behavior_rows(results)] == ["passed"]
    assert "| WC-02 | Yes |" in render_matrix(results)
