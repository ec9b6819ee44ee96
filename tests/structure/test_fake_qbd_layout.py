"""The fake QuickBooks company in the moto shape (docs/fake_qbd.md, "Layout"): its
per-domain operation modules are joined only by the ``QBDCompany`` facade, so the qbXML
handlers, the renderer and the operator reach them through the facade (or the state)
alone, and the domains form no inheritance chain and no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

from import_graph import cycles, edges

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "harness.fake_qbd"
GRAPH = [e for e in edges(REPO_ROOT, ("harness",)) if e.importer.startswith(PACKAGE + ".")]
FACADE = f"{PACKAGE}.company"
#: In dependency order, as the facade's docstring lists them.
DOMAIN_ORDER = (
    "lists",
    "inventory",
    "transactions",
    "banking",
    "bills",
    "deletions",
    "sales_forms",
    "checks",
)
DOMAINS = {f"{PACKAGE}.{name}" for name in DOMAIN_ORDER}


def test_every_domain_module_exists_and_the_facade_joins_them_all() -> None:
    joined = {e.imported for e in GRAPH if e.importer == FACADE}
    assert joined >= DOMAINS


def test_only_the_facade_and_other_domains_import_a_domain_module() -> None:
    bad = [
        str(e)
        for e in GRAPH
        if e.imported in DOMAINS and e.importer != FACADE and e.importer not in DOMAINS
    ]
    assert bad == []


def test_a_domain_imports_only_the_domains_listed_above_it() -> None:
    rank = {f"{PACKAGE}.{name}": i for i, name in enumerate(DOMAIN_ORDER)}
    bad = [
        str(e)
        for e in GRAPH
        if e.importer in DOMAINS and e.imported in DOMAINS and rank[e.imported] >= rank[e.importer]
    ]
    assert bad == []


def test_the_domains_know_nothing_of_the_facade_or_the_wire() -> None:
    above = {FACADE, *(f"{PACKAGE}.{m}" for m in ("handlers", "render", "operator", "wire"))}
    bad = [str(e) for e in GRAPH if e.importer in DOMAINS and e.imported in above]
    assert bad == []


def test_the_package_has_no_import_cycle() -> None:
    assert cycles(GRAPH) == []


def test_no_class_in_a_domain_module_inherits_operations() -> None:
    # The operations are plain functions over the state, not a chain of mixin classes.
    classes = [
        f"{name}.{node.name}"
        for name in DOMAIN_ORDER
        for node in ast.walk(ast.parse((REPO_ROOT / "harness/fake_qbd" / f"{name}.py").read_text()))
        if isinstance(node, ast.ClassDef)
    ]
    assert classes == []
