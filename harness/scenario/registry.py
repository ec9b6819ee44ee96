"""The vocabulary scenario files may use, read from the code that carries it out: the
QuickBooks operator API, the app adapter interface (``harness.adapter.AppAdapter``: scenarios
may use only what every adapter promises), and the Web Connector's named faults."""

from __future__ import annotations

import inspect
from functools import cache

from harness.scenario.actions import actions_of
from harness.scenario.steps import Registry


@cache
def default_registry() -> Registry:
    from harness.adapter import AppAdapter
    from harness.fake_qbd import Operator
    from harness.webconnector import Faults

    faults = {
        name: action.args_model
        for name, action in actions_of(Faults, "fault").items()
        if inspect.signature(getattr(Faults, name)).return_annotation in (Faults, "Faults")
    }
    return Registry(
        qbd=actions_of(Operator, "qbd"), app=actions_of(AppAdapter, "app"), faults=faults
    )
