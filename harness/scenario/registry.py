"""The vocabulary scenario files may use, read from the code that carries it out: the
QuickBooks operator API, the app adapter interface (``harness.adapter.AppAdapter``: scenarios
may use only what every adapter promises), the Web Connector's named faults, and the
reference connector's profiles (the only connector a scenario's ``profile`` configures)."""

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
    from harness.world.reference import reference_profile_names

    faults = {
        name: action.args_model
        for name, action in actions_of(Faults, "fault").items()
        if inspect.signature(getattr(Faults, name)).return_annotation in (Faults, "Faults")
    }
    return Registry(
        qbd=actions_of(Operator, "qbd"),
        app=actions_of(AppAdapter, "app"),
        faults=faults,
        profiles=tuple(reference_profile_names()),
    )
