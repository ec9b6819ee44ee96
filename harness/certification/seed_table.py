"""A seed product's published feature table, row by row, against a certification.

The table file (``seed_tables/*.yaml``) maps each row of the product's help-page table to a
behavior ID and says what the product's column shows. ``compare`` turns a certification
into the same column: "Yes" where the row's behavior (or the scenario measuring just that
row) passed, "No" where it is not claimed or a passing scenario shows the documented
limitation, and the verdict itself (failed, inconclusive) otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from harness.certification.certify import Certification
from harness.scenario.catalogue import catalogue, unknown_behaviors
from harness.scenario.errors import ScenarioError
from harness.scenario.loader import read_mapping, validation_problems

SEED_TABLES = Path(__file__).with_name("seed_tables")
LIMITATION_TAG = "profile-limitation"

#: The published cell, as the certification words it ("Unknown": not claimed).
_EXPECTED = {"Yes": "Yes", "No": "No", "No*": "No", "Unknown": "No"}


class TableRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    row: str = Field(min_length=1)
    table: Literal["Yes", "No", "No*", "Unknown"]
    behavior: str | None
    part: str | None = Field(None, description="the scenario that measures just this row")
    evidence: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("behavior")
    @classmethod
    def _known(cls, behavior: str | None) -> str | None:
        if behavior is not None and behavior not in catalogue():
            raise ValueError(unknown_behaviors([behavior]))
        return behavior


class SeedTable(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product: str
    column: str
    capabilities: str
    rows: list[TableRow] = Field(min_length=1)


@dataclass(frozen=True)
class RowResult:
    row: TableRow
    expected: str  # Yes / No, from the published cell
    measured: str  # Yes / No / failed / inconclusive / not measured

    @property
    def measurable(self) -> bool:
        return self.row.behavior is not None

    @property
    def matches(self) -> bool:
        return self.measured == self.expected


def load_seed_table(path: Path) -> SeedTable:
    doc = read_mapping(path, "seed table is a mapping (product, column, rows)")
    try:
        return SeedTable.model_validate(doc.data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(path, doc, exc)) from None


def compare(table: SeedTable, cert: Certification) -> list[RowResult]:
    by_id = {result.id: result for result in cert.results}
    rows = []
    for row in table.rows:
        measured = "not measured"
        if row.behavior is not None:
            verdict = cert.verdict(row.behavior)
            if verdict == "not claimed":
                measured = "No"
            elif row.part is not None:
                result = by_id.get(row.part)
                if result is None:
                    measured = f"inconclusive ({row.part} did not run)"
                elif result.status == "passed":
                    measured = "No" if LIMITATION_TAG in result.tags else "Yes"
                else:
                    measured = result.status
            else:
                measured = "Yes" if verdict == "passed" else verdict
        rows.append(RowResult(row, _EXPECTED[row.table], measured))
    return rows


def render_comparison(table: SeedTable, rows: list[RowResult]) -> str:
    lines = [
        f"| {table.product} feature | {table.column} (published) | measured | behavior | match |",
        "|---|---|---|---|---|",
    ]
    for result in rows:
        mark = "yes" if result.matches else ("-" if not result.measurable else "NO")
        lines.append(
            f"| {result.row.row} | {result.row.table} | {result.measured} "
            f"| {result.row.behavior or '-'} | {mark} |"
        )
    return "\n".join(lines) + "\n"
