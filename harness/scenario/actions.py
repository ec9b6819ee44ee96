"""Scenario actions derived from the code that performs them.

A scenario step such as ``qbd.receive_payment: {customer: Acme, amount: "250.00"}`` calls a
method of the QuickBooks operator API; ``app.record_payment: {...}`` a method of the app
adapter. Each method's signature is turned into a pydantic model, so a step's arguments are
checked (names, types, required ones) before anything runs, and the JSON Schema that editors
use comes from the same place.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, create_model


@dataclass(frozen=True)
class Action:
    side: str
    name: str
    doc: str
    args_model: type[BaseModel]

    @property
    def step_key(self) -> str:
        return f"{self.side}.{self.name}"


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class _OpenArgs(_Args):
    """For a method that takes ``**changes``: any further key is passed through."""

    model_config = ConfigDict(extra="allow")


def actions_of(cls: type, side: str) -> dict[str, Action]:
    """Every public method of ``cls`` as an action of ``side``."""
    found: dict[str, Action] = {}
    for name, func in inspect.getmembers(cls, inspect.isfunction):
        if name.startswith("_") or getattr(func, "not_an_action", False):
            continue
        found[name] = Action(side, name, inspect.getdoc(func) or "", _args_model(cls, func))
    return found


def not_an_action(func: Any) -> Any:
    """Mark a public method that scenario files may not call (inspection helpers)."""
    func.not_an_action = True
    return func


def _args_model(cls: type, func: Any) -> type[BaseModel]:
    try:
        hints = get_type_hints(func)
    except Exception:  # an unresolvable annotation: fall back to unchecked values
        hints = {}
    fields: dict[str, Any] = {}
    base: type[_Args] = _Args
    for param in list(inspect.signature(func).parameters.values())[1:]:
        if param.kind is param.VAR_KEYWORD:
            base = _OpenArgs
            continue
        if param.kind is param.VAR_POSITIONAL:
            continue
        annotation = hints.get(param.name, Any)
        default = ... if param.default is param.empty else param.default
        fields[param.name] = (annotation, default)
    model_name = f"{cls.__name__}_{func.__name__}_args"
    return create_model(model_name, __base__=base, **fields)
