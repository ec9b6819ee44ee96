"""Both fakes in the moto shape (docs/fake_qbd.md and docs/fake_fieldservice.md, "Layout"):
per-domain operation modules joined only by one facade, so the wire side (qbXML handlers,
renderer, operator; the HTTP API and the in-process app) reaches them through the facade
alone. The fake company's domains are also ordered: each imports only those above it."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from import_graph import Edge, cycles, edges

REPO_ROOT = Path(__file__).resolve().parents[2]
ALL_EDGES = edges(REPO_ROOT, ("harness",))


@dataclass(frozen=True)
class Layout:
    package: str
    facade: str  # module name inside the package
    domains: tuple[str, ...]  # module names (the fake company's in dependency order)
    wire: tuple[str, ...]  # the modules above the facade

    def module(self, name: str) -> str:
        return f"{self.package}.{name}"

    @property
    def graph(self) -> list[Edge]:
        return [e for e in ALL_EDGES if e.importer.startswith(self.package + ".")]

    @property
    def domain_modules(self) -> set[str]:
        return {self.module(name) for name in self.domains}


FAKE_QBD = Layout(
    "harness.fake_qbd",
    "company",
    # In dependency order, as the facade's docstring lists them.
    (
        "lists",
        "inventory",
        "transactions",
        "banking",
        "bills",
        "deletions",
        "sales_forms",
        "checks",
        "custom_fields",
    ),
    ("handlers", "render", "operator", "wire"),
)
FAKE_APP = Layout(
    "harness.fake_fieldservice",
    "_backend",
    (
        "_change_feed",
        "_sync_status",
        "_customers",
        "_payment_modes",
        "_catalogue",
        "_stock",
        "_ledger",
        "_invoices",
        "_store_credits",
        "_payments",
        "_settings_update",
    ),
    ("_http", "_app", "_schemas"),
)
LAYOUTS = pytest.mark.parametrize("layout", [FAKE_QBD, FAKE_APP], ids=["fake_qbd", "fake_app"])


@LAYOUTS
def test_every_domain_module_exists_and_the_facade_joins_them_all(layout: Layout) -> None:
    joined = {e.imported for e in layout.graph if e.importer == layout.module(layout.facade)}
    assert joined >= layout.domain_modules


@LAYOUTS
def test_only_the_facade_and_other_domains_import_a_domain_module(layout: Layout) -> None:
    facade, domains = layout.module(layout.facade), layout.domain_modules
    bad = [
        str(e)
        for e in layout.graph
        if e.imported in domains and e.importer != facade and e.importer not in domains
    ]
    assert bad == []


@LAYOUTS
def test_the_domains_know_nothing_of_the_facade_or_the_wire(layout: Layout) -> None:
    above = {layout.module(name) for name in (layout.facade, *layout.wire)}
    domains = layout.domain_modules
    bad = [str(e) for e in layout.graph if e.importer in domains and e.imported in above]
    assert bad == []


@LAYOUTS
def test_the_package_has_no_import_cycle(layout: Layout) -> None:
    assert cycles(layout.graph) == []


def test_a_fake_company_domain_imports_only_the_domains_listed_above_it() -> None:
    rank = {FAKE_QBD.module(name): i for i, name in enumerate(FAKE_QBD.domains)}
    bad = [
        str(e)
        for e in FAKE_QBD.graph
        if e.importer in rank and e.imported in rank and rank[e.imported] >= rank[e.importer]
    ]
    assert bad == []


def test_no_class_in_a_fake_company_domain_inherits_operations() -> None:
    # The operations are plain functions over the state, not a chain of mixin classes.
    folder = REPO_ROOT / "harness" / "fake_qbd"
    classes = [
        f"{name}.{node.name}"
        for name in FAKE_QBD.domains
        for node in ast.walk(ast.parse((folder / f"{name}.py").read_text()))
        if isinstance(node, ast.ClassDef)
    ]
    assert classes == []
