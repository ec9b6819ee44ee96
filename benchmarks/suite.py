"""Suite: wall time of the whole scenarios/ folder, single process and on 2 pytest-xdist
workers, and the per-scenario median (from ``qbwc-harness run --json``)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import PYTHON, ROOT, median


def _timed(cmd: list[str], timeout: float) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False, env=env
    )
    return time.perf_counter() - started, proc


def _tail(proc: subprocess.CompletedProcess[str]) -> str:
    lines = [x for x in proc.stdout.splitlines() if x.strip()] or [
        x for x in proc.stderr.splitlines() if x.strip()
    ]
    return lines[-1] if lines else f"exit {proc.returncode}"


PYTEST_RUNS = (("pytest_1", ["-p", "no:xdist"]), ("pytest_xdist_2", ["-n", "2"]))


def measure(
    scenarios: Path,
    timeout: float = 900.0,
    pytest_runs: tuple[tuple[str, list[str]], ...] = PYTEST_RUNS,
    shard: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"scenarios_dir": str(scenarios), "shard": shard}
    with tempfile.TemporaryDirectory(prefix="qbwc-bench-") as tmp:
        results_json = Path(tmp) / "results.json"
        seconds, proc = _timed(
            [
                PYTHON,
                "-c",
                "from harness.cli import main; main()",
                "run",
                str(scenarios),
                "-q",
                "--json",
                str(results_json),
                *(["--shard", shard] if shard else []),
            ],
            timeout,
        )
        results = json.loads(results_json.read_text()) if results_json.exists() else []
    durations = [r["duration"] for r in results]
    out["cli"] = {
        "seconds": seconds,
        "exit": proc.returncode,
        "summary": _tail(proc),
        "scenarios": len(results),
        "median_s": median(durations),
        "max_s": max(durations) if durations else None,
        "slowest": sorted(
            ({"id": r["id"], "duration": r["duration"]} for r in results),
            key=lambda r: -r["duration"],
        )[:5],
    }
    for label, extra in pytest_runs:
        seconds, proc = _timed(
            [PYTHON, "-m", "pytest", str(scenarios), "-q", "-o", "addopts=", *extra], timeout
        )
        out[label] = {"seconds": seconds, "exit": proc.returncode, "summary": _tail(proc)}
    return out


def run(report: Any, quick: bool) -> None:
    # Quick: an eighth of the suite through the CLI only (the whole folder three times
    # takes minutes); the wall time is then not the suite's, so no target is checked.
    if quick:
        result = measure(ROOT / "scenarios", pytest_runs=(), shard="1/8")
    else:
        result = measure(ROOT / "scenarios")
    cli = result["cli"]
    note = f"{cli['scenarios']} scenarios; exit {cli['exit']}: {cli['summary']}"
    report.add(
        "suite",
        "qbwc-harness run scenarios --shard 1/8 (quick), wall"
        if quick
        else "qbwc-harness run scenarios (1 process), wall",
        cli["seconds"],
        "s",
        "" if quick else "< 60",
        None if quick else cli["seconds"] < 60,
        note,
    )
    for label, name in (
        ("pytest_1", "pytest scenarios (1 process), wall"),
        ("pytest_xdist_2", "pytest scenarios -n 2 (xdist), wall"),
    ):
        if label not in result:
            continue
        entry = result[label]
        report.add(
            "suite",
            name,
            entry["seconds"],
            "s",
            "< 60" if label == "pytest_1" else "",
            entry["seconds"] < 60 if label == "pytest_1" else None,
            f"exit {entry['exit']}: {entry['summary']}",
        )
    report.add(
        "suite",
        "per-scenario median (runner's own duration)",
        cli["median_s"],
        "s",
        "< 0.3",
        cli["median_s"] is not None and cli["median_s"] < 0.3,
        f"max {cli['max_s']:.3f} s" if cli["max_s"] is not None else "",
    )
    report.details["suite"] = result
