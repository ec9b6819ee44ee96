import os
from pathlib import Path

import pytest

from harness.scenario.catalogue import catalogue, id_sort_key, parse_behaviors_md, render_catalogue

REPO = Path(__file__).resolve().parents[2]


def _behaviors_md() -> Path:
    # BEHAVIORS.md sits beside the reference folder in shared/.
    reference = os.environ.get("QBWC_HARNESS_REFERENCE")
    shared = Path(reference).parent if reference else REPO.parent / "shared"
    return shared / "BEHAVIORS.md"


def test_the_shipped_catalogue_matches_behaviors_md():
    source = _behaviors_md()
    if not source.is_file():
        pytest.skip(f"{source} is not here (QBWC_HARNESS_REFERENCE names shared/reference)")
    behaviors = parse_behaviors_md(source.read_text(encoding="utf-8"))
    shipped = (REPO / "harness" / "scenario" / "behaviors.yaml").read_text(encoding="utf-8")
    assert render_catalogue(behaviors) == shipped, "run: python tools/sync_catalogue.py"


def test_ids_sort_in_catalogue_order():
    ids = ["PAY-10", "WC-02", "PAY-2", "QBD-01"]
    assert sorted(ids, key=id_sort_key) == ["WC-02", "QBD-01", "PAY-2", "PAY-10"]
    assert "SYNC-04" in catalogue()


def test_the_behavior_coverage_page_is_current():
    import runpy

    tool = runpy.run_path(str(REPO / "tools" / "behavior_coverage.py"))
    committed = (REPO / "docs" / "behaviors-coverage.md").read_text(encoding="utf-8")
    assert committed == tool["render"](REPO), (
        "run: python tools/behavior_coverage.py > docs/behaviors-coverage.md"
    )
    # Every ID has a scenario (BEHAVIORS.md: "Every ID must be covered").
    assert "| none |" not in committed
