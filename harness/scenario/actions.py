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
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, get_type_hints

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
    create_model,
)


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


#: Arguments (and keys of ``lines`` / ``applied_to`` rows) that hold a number: money,
#: quantities, rates. The operator and the adapter take them as a person types them (text
#: such as "250.00", or a number) and convert late, so they are annotated ``Any`` or
#: ``str``; they are checked here, so ``amount: lots`` is a file:line error at load instead
#: of a decimal error in the middle of a run.
NUMBER_ARGUMENTS = frozenset(
    {
        "amount",
        "cost",
        "min_quantity",
        "new_quantity",
        "price",
        "quantity",
        "quantity_difference",
        "quantity_on_hand",
        "rate",
    }
)


def _a_number(value: Any) -> Any:
    """``value`` unchanged when it reads as a finite decimal number."""
    try:
        number = None if isinstance(value, bool) else Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if not isinstance(value, str | int | float) or number is None or not number.is_finite():
        raise ValueError(f'expected a number such as "250.00" or 3, got {value!r}')
    return value


#: Editors flag what the loader refuses: a decimal as text, or a YAML number.
_NUMBER_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$"},
        {"type": "number"},
    ],
    "description": 'a number: "250.00" or 3',
}
Number = Annotated[str | int | float, BeforeValidator(_a_number), WithJsonSchema(_NUMBER_SCHEMA)]


class Row(BaseModel):
    """One row of a ``lines`` or ``applied_to`` list: its number keys checked, the rest
    passed on as written (the action checks them)."""

    model_config = ConfigDict(extra="allow")
    amount: Number | None = None
    cost: Number | None = None
    quantity: Number | None = None
    rate: Number | None = None
    price: Number | None = None


def _as_written(rows: list[Row] | None) -> list[dict[str, Any]] | None:
    return None if rows is None else [row.model_dump(exclude_unset=True) for row in rows]


Rows = Annotated[list[Row], AfterValidator(_as_written)]
_ROWS_OF = {list[dict[str, Any]]: Rows, list[dict[str, Any]] | None: Rows | None}


def _checked(name: str, annotation: Any, default: Any) -> Any:
    """The annotation a scenario's value is checked against (see ``NUMBER_ARGUMENTS``)."""
    if name in NUMBER_ARGUMENTS and annotation in (Any, str):
        return Number if default is not None else Number | None
    if name == "applications" and annotation is Any:  # invoice number -> amount
        return dict[str, Number] | None
    return _ROWS_OF.get(annotation, annotation)


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
        default = ... if param.default is param.empty else param.default
        annotation = _checked(param.name, hints.get(param.name, Any), default)
        fields[param.name] = (annotation, default)
    model_name = f"{cls.__name__}_{func.__name__}_args"
    return create_model(model_name, __base__=base, **fields)
