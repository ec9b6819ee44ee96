"""The import graph is the architecture (../shared/ARCHITECTURE.md, docs/design.md).

- ``qbwc_wire`` is a leaf: it imports nothing of the project.
- The connector never imports the harness: it is one connector under test among others.
- The harness imports the reference connector in one module only,
  ``harness.world.reference`` (the world's reference-connector target), so that the judge
  shares no code with the judged beyond the leaf.
- The simulators do not import the runner, the scenario language or the Web Connector: each
  has its one door (ARCHITECTURE.md, "Components and their contracts"). Nor do they draw
  their own bulk data from ``harness.bulk_data``: whoever builds them hands it in.
- No import cycle, lazy imports included.
"""

from __future__ import annotations

from pathlib import Path

from import_graph import cycles, edges

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("qbwc_wire", "harness", "connector")
GRAPH = edges(REPO_ROOT, PACKAGES)
#: The one module of the harness that may import the reference connector.
REFERENCE_TARGET = "harness.world.reference"
SIMULATORS = ("harness.fake_qbd", "harness.fake_fieldservice")
#: What a simulator may stand on besides itself and the leaf. Neither draws its own bulk
#: data: each is handed it (harness.qbd_bulk, harness.app_bulk), so neither imports
#: harness.bulk_data.
SIMULATOR_GROUND = ("harness.clock", "harness.xmlsafe")


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_is_read() -> None:
    # A parser that found nothing would pass every rule below.
    importers = {edge.importer for edge in GRAPH}
    assert REFERENCE_TARGET in importers
    assert "connector.soap" in importers
    assert any(e.importer == "harness.xmlsafe" and e.imported == "qbwc_wire" for e in GRAPH)


def test_the_wire_leaf_imports_nothing_of_the_project() -> None:
    bad = [str(e) for e in GRAPH if _within(e.importer, "qbwc_wire")]
    bad = [b for b in bad if not b.split(" -> ")[1].startswith("qbwc_wire")]
    assert bad == []


def test_the_connector_never_imports_the_harness() -> None:
    bad = [
        str(e) for e in GRAPH if _within(e.importer, "connector") and _within(e.imported, "harness")
    ]
    assert bad == []


def test_the_harness_imports_the_connector_only_in_its_reference_target() -> None:
    bad = [
        str(e)
        for e in GRAPH
        if _within(e.importer, "harness")
        and _within(e.imported, "connector")
        and e.importer != REFERENCE_TARGET
    ]
    assert bad == []


def test_the_simulators_stand_only_on_themselves_and_the_leaf() -> None:
    bad = []
    for edge in GRAPH:
        home = next((s for s in SIMULATORS if _within(edge.importer, s)), None)
        if home is None or _within(edge.imported, home) or _within(edge.imported, "qbwc_wire"):
            continue
        if edge.imported not in SIMULATOR_GROUND:
            bad.append(str(edge))
    assert bad == []


def test_no_import_cycle() -> None:
    assert cycles(GRAPH) == []


def test_a_cycle_would_be_found() -> None:
    from import_graph import Edge

    ring = [Edge("a", "b", 1), Edge("b", "c", 1), Edge("c", "a", 1), Edge("c", "d", 1)]
    assert cycles(ring) == [["a", "b", "c"]]
