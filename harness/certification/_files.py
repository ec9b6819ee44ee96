"""Reading the certification's YAML files with line numbers, every problem as file:line."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from harness.scenario.errors import Problem, ScenarioError
from harness.scenario.steps import describe_error
from harness.scenario.yaml_lines import LocatedDocument, YamlSyntaxError, load_located


def read_mapping(path: Path, what: str) -> LocatedDocument:
    """The YAML mapping in ``path``; ``what`` says what it should hold, for the error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(path, 1, f"cannot read the file: {exc}")]) from None
    try:
        doc = load_located(text)
    except YamlSyntaxError as exc:
        raise ScenarioError([Problem(path, exc.line, f"not valid YAML: {exc.message}")]) from None
    if not isinstance(doc.data, dict):
        raise ScenarioError([Problem(path, 1, f"a {what}")])
    return doc


def validation_problems(path: Path, doc: LocatedDocument, exc: ValidationError) -> list[Problem]:
    return [Problem(path, doc.line_of(tuple(e["loc"])), describe_error(e)) for e in exc.errors()]
