"""Regenerate harness/scenario/behaviors.yaml from the catalogue in ../shared/BEHAVIORS.md.

The harness ships its own copy of the behavior IDs so that scenario validation and reports
work on a machine without shared/; tests/runner/test_runner_catalogue.py checks the copy is
current.

    python tools/sync_catalogue.py [PATH_TO_BEHAVIORS_MD]
"""

from __future__ import annotations

import sys
from pathlib import Path

from harness.scenario.catalogue import CATALOGUE_PATH, parse_behaviors_md, render_catalogue


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "BEHAVIORS.md"
    behaviors = parse_behaviors_md(source.read_text(encoding="utf-8"))
    CATALOGUE_PATH.write_text(render_catalogue(behaviors), encoding="utf-8")
    print(f"wrote {len(behaviors)} behaviors to {CATALOGUE_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
