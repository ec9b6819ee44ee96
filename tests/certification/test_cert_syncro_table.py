"""The Syncro certification matrix equals the QBD column of Syncro's feature table
(seeds/002), row by row, for every row that maps to a catalogue behavior."""

from __future__ import annotations

import re

import pytest
from cert_support import REPO, certify_seed, suite

from harness.certification.seed_table import (
    SEED_TABLES,
    compare,
    load_seed_table,
    render_comparison,
)
from harness.runner.run import run_scenario

TABLE = load_seed_table(SEED_TABLES / "syncro-qbd.yaml")
SEED = REPO.parent / "shared" / "seeds" / "002_319beade3410d69d.txt"


def test_the_table_file_mirrors_the_seed_qbd_column_row_by_row() -> None:
    if not SEED.is_file():
        pytest.skip(f"the seed {SEED} is absent")
    # Each table row ends with "| QBO | QBD |" (the QBO and QBD cells are the last two).
    cells = re.findall(r"(Yes|No\*?|Unknown) \| (Yes|No\*?|Unknown) \|\s*$", SEED.read_text(), re.M)
    assert [qbd for _qbo, qbd in cells] == [row.table for row in TABLE.rows]


def test_every_row_that_names_a_behavior_matches_the_published_cell() -> None:
    rows = compare(TABLE, certify_seed("syncro"))
    measured = [r for r in rows if r.measurable]
    assert len(measured) == 23
    wrong = [r for r in measured if not r.matches]
    assert not wrong, render_comparison(TABLE, rows)
    assert {r.measured for r in measured} == {"Yes", "No"}


def test_rows_outside_the_catalogue_are_all_no_on_qbd_and_say_why() -> None:
    outside = [row for row in TABLE.rows if row.behavior is None]
    assert len(outside) == 11
    assert {row.table for row in outside} <= {"No", "No*"}
    assert all(row.note for row in outside)


def test_a_row_narrower_than_its_behavior_is_measured_by_its_own_scenario() -> None:
    cert = certify_seed("syncro")
    ran = {result.id: result for result in cert.results}
    for row in TABLE.rows:
        if row.part is not None:
            assert ran[row.part].status == "passed", row.row


@pytest.mark.parametrize(
    "scenario_id", sorted({s for row in TABLE.rows for s in row.evidence}), ids=str
)
def test_a_no_that_is_not_claimed_is_also_shown_under_the_profile(scenario_id: str) -> None:
    """Evidence that the limitation is real: the scenario runs under Syncro's profile."""
    (loaded,) = [s for s in suite() if s.id == scenario_id]
    assert loaded.scenario.profile == "syncro"
    assert run_scenario(loaded).status == "passed"


def test_a_broken_claim_shows_in_the_row() -> None:
    """The comparison can fail: a certification in which PAY-07 failed gives "failed"."""
    cert = certify_seed("syncro")
    verdicts = {v.behavior: v for v in cert.verdicts}
    original = verdicts["PAY-07"].verdict
    try:
        verdicts["PAY-07"].verdict = "failed"
        rows = {r.row.row: r for r in compare(TABLE, cert)}
        assert rows["Sync payments"].measured == "failed"
        assert not rows["Sync payments"].matches
    finally:
        verdicts["PAY-07"].verdict = original


def test_the_syncro_certification_passes_every_claim() -> None:
    cert = certify_seed("syncro")
    assert cert.certified
    assert cert.verdict("IVC-02") == "not claimed"
    assert cert.verdict("PAY-09") == "passed"
