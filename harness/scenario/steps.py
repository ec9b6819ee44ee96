"""Typed steps: a scenario's raw ``steps`` and ``given`` entries, checked against the actions
and faults that exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from harness.scenario.actions import Action
from harness.scenario.model import FaultArgs

Loc = tuple[str | int, ...]


def builtin_steps() -> dict[str, type[BaseModel]]:
    """The step kinds of the runner's step table (``harness.runner.steps``) written as
    ``- kind: {arguments}``, each with its arguments' model: the one list of them."""
    from harness.runner.steps import step_models

    return step_models()


@dataclass(frozen=True)
class Registry:
    """What a scenario may name: the step kinds, actions per side, fault names with their
    parameters, and the connector profiles (``profile``, ``profiles``)."""

    qbd: dict[str, Action]
    app: dict[str, Action]
    faults: dict[str, type[BaseModel]] = field(default_factory=dict)
    steps: dict[str, type[BaseModel]] = field(default_factory=builtin_steps)
    #: Sorted; every connector has ``default`` (the profile a file names none of).
    profiles: tuple[str, ...] = ("default",)

    def side(self, name: str) -> dict[str, Action]:
        return {"qbd": self.qbd, "app": self.app}[name]


@dataclass(frozen=True)
class Step:
    kind: str  # a key of the runner's step table (``harness.runner.steps.STEPS``)
    line: int
    source: Any  # the step as written, for failure messages
    args: Any = None
    action: Action | None = None

    @property
    def label(self) -> str:
        return self.action.step_key if self.action else self.kind


@dataclass
class StepProblem:
    loc: Loc
    message: str
    line: int | None = None  # when known better than ``loc`` tells


def parse_step(
    raw: Any, loc: Loc, registry: Registry, line: int, side: str | None = None
) -> tuple[Step | None, list[StepProblem]]:
    """One step. ``side`` is set for ``given.qbd``/``given.app`` lists, whose keys are bare
    action names."""
    if isinstance(raw, str):
        key, value = raw, None
    elif isinstance(raw, dict) and len(raw) == 1:
        key, value = next(iter(raw.items()))
    else:
        return None, [StepProblem(loc, "a step is a mapping with exactly one key, e.g. `- sync`")]
    key_loc = (*loc, key) if isinstance(raw, dict) else loc

    if side is not None:
        return _action_step(side, key, value, key_loc, registry, line, raw)
    if "." in key:
        prefix, _, name = key.partition(".")
        if prefix in ("qbd", "app"):
            return _action_step(prefix, name, value, key_loc, registry, line, raw)
    if key == "connector" and isinstance(value, str):
        value = {"action": value}
    if key == "fault":
        return _fault_step(value, key_loc, registry, line, raw)
    model = registry.steps.get(key)
    if model is None:
        return None, [StepProblem(key_loc, f"unknown step {key!r}; expected {_kinds(registry)}")]
    parsed, problems = _validate(model, value or {}, key_loc)
    return (Step(key, line, raw, parsed) if parsed else None), problems


def _kinds(registry: Registry) -> str:
    """The kinds a step may have, in the table's order, as the unknown-step error lists them."""
    return ", ".join([*registry.steps, "fault"]) + ", qbd.<action> or app.<action>"


def _action_step(
    side: str, name: str, value: Any, loc: Loc, registry: Registry, line: int, raw: Any
) -> tuple[Step | None, list[StepProblem]]:
    actions = registry.side(side)
    action = actions.get(name)
    if action is None:
        known = ", ".join(sorted(actions))
        return None, [StepProblem(loc, f"unknown {side} action {name!r}; expected one of: {known}")]
    parsed, problems = _validate(action.args_model, value or {}, loc)
    if parsed is None:
        return None, problems
    args = {k: getattr(parsed, k) for k in parsed.model_fields_set} | (parsed.model_extra or {})
    return Step("action", line, raw, args, action), problems


def _fault_step(
    value: Any, loc: Loc, registry: Registry, line: int, raw: Any
) -> tuple[Step | None, list[StepProblem]]:
    if isinstance(value, str):
        value = {"name": value}
    head, problems = _validate(FaultArgs, value or {}, loc)
    if head is None:
        return None, problems
    model = registry.faults.get(head.name)
    if model is None:
        known = ", ".join(sorted(registry.faults)) or "(none)"
        return None, [StepProblem((*loc, "name"), f"unknown fault {head.name!r}; known: {known}")]
    params = {k: v for k, v in value.items() if k != "name"}
    parsed, problems = _validate(model, params, loc)
    return (Step("fault", line, raw, (head.name, parsed)) if parsed else None), problems


def _validate(model: type[BaseModel], value: Any, loc: Loc) -> tuple[Any, list[StepProblem]]:
    if not isinstance(value, dict):
        return None, [StepProblem(loc, f"expected a mapping of arguments, got {value!r}")]
    try:
        return model.model_validate(value), []
    except ValidationError as exc:
        return None, [StepProblem((*loc, *err["loc"]), describe_error(err)) for err in exc.errors()]


def describe_error(err: Any) -> str:
    where = ".".join(str(p) for p in err["loc"])
    if err["type"] == "missing":
        return f"missing required {where!r}"
    if err["type"] == "extra_forbidden":
        return f"unexpected key {where!r}"
    if err["type"] == "value_error":  # our own validators: their message, without pydantic's prefix
        return f"{where}: {err['ctx']['error']}" if where else str(err["ctx"]["error"])
    return f"{where}: {err['msg']}" if where else err["msg"]
