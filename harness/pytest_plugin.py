"""pytest plugin: scenario files are collected as tests, and the harness world is a fixture.

Any ``*.yaml`` file inside a folder named ``scenarios`` (the ini option
``qbwc_scenario_folder`` names another) becomes one test item (one per profile when it names
``profiles``: ``id[profile]``), with its tags as marks,
``skip:`` and ``xfail:`` honored, and a failure shown as the scenario step's file:line and
the fields that differ. ``--qbwc-html PATH`` writes the HTML report with every transcript.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from harness.scenario import ScenarioError
from harness.scenario.loader import SCENARIO_SUFFIXES

if TYPE_CHECKING:
    from harness.runner.results import ScenarioResult
    from harness.scenario.loader import LoadedScenario
    from harness.world import World

# The plugin is loaded by every pytest run in an environment where qbwc-harness is installed:
# the heavy imports (zeep, spyne, the fakes) wait until a scenario or fixture needs them.

_RESULTS = pytest.StashKey[list["ScenarioResult"]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("qbwc-harness")
    group.addoption(
        "--qbwc-transport",
        choices=["inprocess", "http"],
        default="inprocess",
        help="reach the connector in-process (default) or over HTTP on loopback",
    )
    group.addoption("--qbwc-html", metavar="PATH", help="write the scenario HTML report here")
    parser.addini(
        "qbwc_scenario_folder", "folder name whose YAML files are scenarios", default="scenarios"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_RESULTS] = []
    config.addinivalue_line("markers", "scenario: a qbwc-harness scenario file")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    folder = parent.config.getini("qbwc_scenario_folder")
    if file_path.suffix in SCENARIO_SUFFIXES and folder in file_path.parts:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    results = config.stash[_RESULTS]
    worker_output = getattr(config, "workeroutput", None)
    if worker_output is not None:  # a pytest-xdist worker: the controller writes the report
        worker_output[_WORKER_RESULTS] = pickle.dumps(results)
        return
    html = config.getoption("--qbwc-html")
    if not html:
        return
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    say = terminal.write_line if terminal else print
    if not results:
        say(f"qbwc-harness: no scenario ran, so no HTML report was written to {html}")
        return
    from harness.report.html import write_html

    # Collection order, whichever worker ran each scenario.
    write_html(sorted(results, key=lambda r: (str(r.path), r.id)), Path(html))
    say(f"qbwc-harness: HTML report of {len(results)} scenario(s) written to {html}")


#: The key under which a pytest-xdist worker hands its scenario results to the controller.
_WORKER_RESULTS = "qbwc_harness_results"


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist, on the controller: a worker finished; keep its scenario results."""
    data = getattr(node, "workeroutput", {}).get(_WORKER_RESULTS)
    if data:
        node.config.stash[_RESULTS].extend(pickle.loads(data))  # our own worker's bytes


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from harness.scenario import default_registry, load_runs

        try:
            runs = load_runs(self.path, default_registry())
        except ScenarioError as exc:
            yield InvalidScenario.from_parent(self, name=self.path.stem, error=exc)
            return
        for loaded in runs:  # one item per profile of a file that names ``profiles``
            yield ScenarioItem.from_parent(self, name=loaded.id, loaded=loaded)


class ScenarioFailed(Exception):
    def __init__(self, result: ScenarioResult) -> None:
        super().__init__(result.status)
        self.result = result


class ScenarioItem(pytest.Item):
    def __init__(self, *, loaded: LoadedScenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.loaded = loaded
        scenario = loaded.scenario
        self.add_marker(pytest.mark.scenario)
        for tag in scenario.tags:
            self.config.addinivalue_line("markers", f"{tag}: scenario tag")
            self.add_marker(getattr(pytest.mark, tag))
        if scenario.skip:
            self.add_marker(pytest.mark.skip(reason=scenario.skip))

    def runtest(self) -> None:
        from harness.runner.run import RunOptions, run_scenario
        from harness.world import WorldOptions

        transport = self.config.getoption("--qbwc-transport")
        result = run_scenario(self.loaded, RunOptions(WorldOptions(transport=transport)))
        self.config.stash[_RESULTS].append(result)
        if result.status == "xfailed":
            pytest.xfail(self.loaded.scenario.xfail or "")
        if not result.ok:
            raise ScenarioFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            result = excinfo.value.result
            text = result.failure.render(result.path) if result.failure else result.status
            if result.status == "xpassed":
                text = f"passed, but the file says xfail: {result.reason}"
            elif result.status == "error" and result.reason:
                text += "\n" + result.reason
            elif result.status == "inconclusive":
                text = f"inconclusive ({result.cause or 'no cause given'}): {result.reason}"
            return f"{text}\n(full transcript: qbwc-harness show {result.path})"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        behaviors = ", ".join(self.loaded.scenario.behaviors)
        return self.path, 0, f"scenario {self.loaded.id} [{behaviors}]"


class InvalidScenario(pytest.Item):
    """A file that does not load: the test fails with each problem's file and line."""

    def __init__(self, *, error: ScenarioError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return str(self.error)


@pytest.fixture
def qbwc_world(request: pytest.FixtureRequest) -> Iterator[World]:
    """A fresh world: fake QuickBooks, fake app, reference connector, on one simulated clock."""
    from harness.world import World, WorldOptions

    transport = request.config.getoption("--qbwc-transport")
    world = World.build(options=WorldOptions(transport=transport))
    yield world
    world.close()
