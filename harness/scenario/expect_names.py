"""The collection names an ``expect`` block may check, known before anything runs: a typo
(``invoice`` for ``invoices``) is a file:line error at load instead of a run-time
"got <missing>"."""

from __future__ import annotations

from functools import cache

from harness.scenario.model import Expectation
from harness.scenario.steps import Loc, StepProblem


@cache
def app_collections() -> frozenset[str]:
    from harness.adapter import SNAPSHOT_COLLECTIONS

    return frozenset(SNAPSHOT_COLLECTIONS)


@cache
def qbd_objects() -> frozenset[str]:
    """Every object list the fake company's snapshot shows (multi-location on: ItemSites)."""
    from harness.fake_qbd import CompanySettings, QBDCompany

    company = QBDCompany(settings=CompanySettings(multi_location_inventory=True))
    return frozenset(company.snapshot())


def unknown_names(expect: Expectation, loc: Loc) -> list[StepProblem]:
    """The collections ``expect`` (at ``loc`` in the file) names that no snapshot has."""
    problems = []
    for side, known in (("app", app_collections()), ("qbd", qbd_objects())):
        for key in ("", "_counts", "_history"):
            for name in getattr(expect, side + key):
                if name.partition("[")[0] not in known:  # "payments[status=active]"
                    listed = ", ".join(sorted(known))
                    message = f"unknown {side} collection {name!r}; expected one of: {listed}"
                    problems.append(StepProblem((*loc, side + key, name), message))
    return problems
