"""The fake field-service app in the moto shape (docs/fake_fieldservice.md, "Layout"): its
per-domain operation modules are joined only by the backend facade, so the HTTP API and the
in-process app reach them through ``FieldServiceBackend`` alone."""

from __future__ import annotations

from pathlib import Path

from import_graph import edges

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "harness.fake_fieldservice"
GRAPH = [e for e in edges(REPO_ROOT, ("harness",)) if e.importer.startswith(PACKAGE + ".")]
FACADE = f"{PACKAGE}._backend"
DOMAINS = {
    f"{PACKAGE}._{name}"
    for name in (
        "change_feed",
        "sync_status",
        "customers",
        "payment_modes",
        "catalogue",
        "stock",
        "ledger",
        "invoices",
        "store_credits",
        "payments",
        "settings_update",
    )
}


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


def test_the_domains_know_nothing_of_the_facade_or_the_wire() -> None:
    above = {FACADE, f"{PACKAGE}._http", f"{PACKAGE}._app", f"{PACKAGE}._schemas"}
    bad = [str(e) for e in GRAPH if e.importer in DOMAINS and e.imported in above]
    assert bad == []
