"""``python -m benchmarks [--quick] [--only roundtrip,suite,scale,load] [--json PATH]``

Prints one table (Markdown) and writes the figures as JSON (default
``benchmarks/results/latest.json``, or ``latest-quick.json`` with --quick).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path

from . import load, roundtrip, scale, suite
from .common import ROOT, Report, render_table

SECTIONS = {
    "roundtrip": roundtrip.run,
    "suite": suite.run,
    "scale": scale.run,
    "load": load.run,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes: about 90 s in all on 2 cores (CI smoke)"
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections among {', '.join(SECTIONS)}",
    )
    parser.add_argument("--json", type=Path, help="where to write the JSON results")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    report = Report(mode="quick" if args.quick else "full")
    if hasattr(os, "getloadavg"):
        report.details["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
        if os.getloadavg()[0] > (os.cpu_count() or 1):
            print(
                f"warning: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: "
                "other work will slow these figures down",
                file=sys.stderr,
            )
    failed = []
    for name in chosen:
        started = time.perf_counter()
        print(f"== {name} ...", file=sys.stderr, flush=True)
        try:
            SECTIONS[name](report, args.quick)
        except Exception:  # one broken section must not hide the others' figures
            failed.append(name)
            report.add(name, "benchmark failed", None, note=traceback.format_exc(limit=3)[-300:])
            traceback.print_exc()
        report.details.setdefault("section_seconds", {})[name] = round(
            time.perf_counter() - started, 1
        )
    table = render_table(report.rows)
    print(table)
    path = args.json or ROOT / "benchmarks" / "results" / (
        "latest-quick.json" if args.quick else "latest.json"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = report.to_json()
    payload["table"] = table
    path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    print(f"\nJSON: {path}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
