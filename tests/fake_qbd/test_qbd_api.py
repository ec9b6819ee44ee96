from __future__ import annotations

from pathlib import Path

import harness.fake_qbd
from harness.fake_qbd.coverage import coverage_table

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_public_names_are_pinned():
    assert harness.fake_qbd.__all__ == [
        # the qbXML 13.0 request types: the scenario language checks request names with it
        "REQUEST_TYPES",
        "CompanySettings",
        "NotModeledError",
        "Operator",
        "QBDCompany",
        "QBStatusError",
        "RequestProcessorError",
    ]


def test_coverage_table_matches_the_handlers():
    written = (REPO_ROOT / "docs" / "fake_qbd-coverage.md").read_text()
    assert written == coverage_table(), (
        "docs/fake_qbd-coverage.md is stale: "
        "python -m harness.fake_qbd.coverage > docs/fake_qbd-coverage.md"
    )


def test_company_file_and_default_settings():
    company = harness.fake_qbd.QBDCompany()
    assert company.settings.company_file.endswith(".QBW")
    assert company.operator is not None
