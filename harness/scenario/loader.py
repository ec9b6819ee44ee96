"""Load a scenario file: YAML with line numbers, the model, then every step, all checked
before anything runs. Every problem is reported with the file and line, at once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from harness.files import read_small_file
from harness.scenario.errors import Problem, ScenarioError
from harness.scenario.expect_names import unknown_names
from harness.scenario.model import Scenario
from harness.scenario.steps import (
    Loc,
    Registry,
    Step,
    StepProblem,
    describe_error,
    parse_step,
)
from harness.scenario.yaml_lines import LocatedDocument, YamlSyntaxError, load_located

SCENARIO_SUFFIXES = (".yaml", ".yml")
#: A scenario, capability or seed file is a few kilobytes; this is far above any.
MAX_YAML_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class LoadedScenario:
    path: Path
    scenario: Scenario
    given_qbd: list[Step]
    given_app: list[Step]
    steps: list[Step]
    expect_line: int
    id_line: int

    @property
    def id(self) -> str:
        return self.scenario.id


def read_mapping(path: Path, what: str, text: str | None = None) -> LocatedDocument:
    """The YAML mapping in ``path`` (or ``text``, read from it); ``what`` says what it
    should hold, for the error: "a ``what``" at line 1."""
    if text is None:
        try:
            text = read_small_file(path, MAX_YAML_BYTES).decode("utf-8")
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            raise ScenarioError([Problem(path, 1, f"cannot read the file: {exc}")]) from None
    try:
        doc = load_located(text)
    except YamlSyntaxError as exc:
        raise ScenarioError([Problem(path, exc.line, f"not valid YAML: {exc.message}")]) from None
    if not isinstance(doc.data, dict):
        raise ScenarioError([Problem(path, 1, f"a {what}")])
    return doc


def validation_problems(path: Path, doc: LocatedDocument, exc: ValidationError) -> list[Problem]:
    """A model's validation errors, each at the line of the field it names."""
    return [Problem(path, doc.line_of(tuple(e["loc"])), describe_error(e)) for e in exc.errors()]


#: A scenario that checks nothing passes whatever the connector does: it must say what both
#: sides show after, or ``expect: {}`` on purpose (its checkpoints, or running through
#: without an error, are the test).
NO_EXPECT = (
    "no `expect`: write what both sides must show after the steps, or `expect: {}` to say "
    "that nothing more is checked"
)


def load_scenario(path: Path, registry: Registry, text: str | None = None) -> LoadedScenario:
    doc = read_mapping(path, "scenario file is a mapping (id, title, ...)", text)
    # Reported at the file's last line, where the block would go, after any other problem.
    said = doc.data.get("expect") is not None  # `expect:` left empty is not said on purpose
    found = [] if said else [Problem(path, max(doc.lines.values()), NO_EXPECT)]
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(path, doc, exc) + found) from None

    problems: list[StepProblem] = []
    given_qbd = _parse_all(scenario.given.qbd, ("given", "qbd"), registry, doc, problems, "qbd")
    given_app = _parse_all(scenario.given.app, ("given", "app"), registry, doc, problems, "app")
    steps = _parse_all(scenario.steps, ("steps",), registry, doc, problems, None)
    problems.extend(_unknown_web_connectors(steps, set(scenario.given.web_connectors)))
    problems.extend(_unknown_profiles(scenario, registry.profiles))
    if scenario.expect is not None:
        problems.extend(unknown_names(scenario.expect, ("expect",)))
    checkpoints = {id(step.source): step.args for step in steps if step.kind == "expect"}
    for index, raw in enumerate(scenario.steps):  # by position, for each one's line
        if id(raw) in checkpoints:
            problems.extend(unknown_names(checkpoints[id(raw)], ("steps", index, "expect")))
    found[:0] = [Problem(path, p.line or doc.line_of(p.loc), p.message) for p in problems]
    if found:
        raise ScenarioError(found)
    return LoadedScenario(
        path, scenario, given_qbd, given_app, steps, doc.line_of(("expect",)), doc.line_of(("id",))
    )


def per_profile(loaded: LoadedScenario) -> list[LoadedScenario]:
    """The runs of a loaded file: one per profile when it names ``profiles`` (each run's id
    is ``<id>[<profile>]``, so reports and ``--profile`` tell them apart), else itself."""
    scenario = loaded.scenario
    if scenario.profiles is None:
        return [loaded]
    return [
        replace(
            loaded,
            scenario=scenario.model_copy(
                update={"id": f"{scenario.id}[{name}]", "profile": name, "profiles": None}
            ),
        )
        for name in scenario.profiles
    ]


def load_runs(path: Path, registry: Registry, text: str | None = None) -> list[LoadedScenario]:
    """``load_scenario``, then ``per_profile``: every run the file asks for."""
    return per_profile(load_scenario(path, registry, text))


def _unknown_profiles(scenario: Scenario, known: tuple[str, ...]) -> list[StepProblem]:
    """``profile`` or each of ``profiles`` that the connector does not have, at its line
    (refused here, not when its run builds the connector)."""
    named: list[tuple[Loc, str]] = [(("profile",), scenario.profile)]
    named += [(("profiles", index), name) for index, name in enumerate(scenario.profiles or [])]
    return [
        StepProblem(loc, f"unknown profile {name!r} (known: {', '.join(known)})")
        for loc, name in named
        if name not in known
    ]


def _parse_all(
    raws: list,
    base: tuple[str, ...],
    registry: Registry,
    doc: LocatedDocument,
    problems: list[StepProblem],
    side: str | None,
) -> list[Step]:
    steps: list[Step] = []
    for index, raw in enumerate(raws):
        loc: tuple[str | int, ...] = (*base, index)
        step, found = parse_step(raw, loc, registry, doc.line_of(loc), side)
        problems.extend(found)
        if step is not None:
            steps.append(step)
    return steps


def _unknown_web_connectors(steps: list[Step], known: set[str]) -> list[StepProblem]:
    problems = []
    for step in steps:
        # Any step whose arguments name a Web Connector, read from its model's fields.
        one = getattr(step.args, "web_connector", None)
        named = [one] if isinstance(one, str) else list(getattr(step.args, "web_connectors", []))
        for name in named:
            if name not in known:
                listed = ", ".join(sorted(known))
                message = f"unknown web_connector {name!r}; given.web_connectors has: {listed}"
                problems.append(StepProblem(("steps",), message, step.line))
    return problems


def discover(paths: list[Path]) -> list[Path]:
    """Scenario files under the given files and folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*")) if p.suffix in SCENARIO_SUFFIXES and p.is_file()
            )
        else:
            found.append(path)
    return found
