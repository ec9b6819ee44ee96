"""The benchmarks run (each at a trivially small size). No timing is asserted here: figures
are the benchmark command's job (``python -m benchmarks``), not the tests'."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks import load, roundtrip, scale_worker, suite
from benchmarks.common import Report, percentile, render_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("transport", ["inprocess", "http"])
def test_round_trip_measures_the_stack_and_the_floor(transport: str) -> None:
    result = roundtrip.run_one(transport, customers=2, repeats=1)
    assert result["requests"] >= 4  # 2 CustomerAdd, 2 InvoiceAdd (+ item and payment queries)
    assert result["floor_messages"] == 2 * result["soap_calls"] + 2 * result["requests"]
    assert result["requests_per_s"] > 0 and result["floor_ratio"] > 0


def test_suite_times_the_cli_run_and_reads_scenario_durations(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    shutil.copy(ROOT / "scenarios" / "protocol" / "wc-01-session-call-order.yaml", scenarios)
    result = suite.measure(scenarios, timeout=120, pytest_runs=())
    assert result["cli"]["exit"] == 0, result["cli"]["summary"]
    assert result["cli"]["scenarios"] == 1 and result["cli"]["median_s"] > 0


def test_scale_pages_every_record_through_the_web_connector() -> None:
    from harness.clock import SimClock
    from harness.fake_qbd import QBDCompany

    data = scale_worker.generate(12, seed=1)
    assert data == scale_worker.generate(12, seed=1)  # seeded: the same company every run
    clock = SimClock()
    company = QBDCompany(clock=clock)
    scale_worker.populate(company, data, batch=5)
    result = scale_worker.initial_sync(company, clock, page=5)
    assert result["imported"] == 36
    assert result["pages"] == 3 * 3  # 12 records of each kind, 5 a page


def test_load_runs_web_connectors_against_the_served_connector() -> None:
    result = load.run_level(2, sessions=1, payments=3, deadline=60)
    assert result["sessions"] == 2
    assert result["leak_count"] == 0, result["leaks"]
    assert result["store_rows_checked"].get("tickets") == 2


def test_table_and_percentiles() -> None:
    report = Report(mode="quick")
    report.add("s", "m", 1234.5, "req/s", ">= 1000", True)
    assert "1,234" in render_table(report.rows)
    assert percentile(list(range(1, 101)), 99) == 99
    assert percentile([5.0], 50) == 5.0
