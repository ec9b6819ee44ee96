"""qbwc-harness: conformance testing for QuickBooks Web Connector integrations.

The public names below are the doors of the components (docs/design.md); everything else is
an implementation detail that may change. They are resolved on first use, so that importing
one simulator (``harness.fake_qbd``) does not load the Web Connector, zeep or the runner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.adapter import AppAdapter, load_adapter
    from harness.clock import SimClock
    from harness.fake_fieldservice import FieldServiceApp
    from harness.fake_qbd import CompanySettings, NotModeledError, QBDCompany
    from harness.runner import RunOptions, ScenarioResult, run_scenario, start_world
    from harness.scenario import (
        LoadedScenario,
        ScenarioError,
        default_registry,
        discover,
        load_runs,
        load_scenario,
    )
    from harness.webconnector import QwcFile, Transcript, WebConnector
    from harness.world import ExternalConnector, World, WorldOptions

#: public name -> the module that defines it (the list the pinned-API test checks).
_HOMES = {
    "AppAdapter": "harness.adapter",
    "load_adapter": "harness.adapter",
    "SimClock": "harness.clock",
    "FieldServiceApp": "harness.fake_fieldservice",
    "CompanySettings": "harness.fake_qbd",
    "NotModeledError": "harness.fake_qbd",
    "QBDCompany": "harness.fake_qbd",
    "RunOptions": "harness.runner",
    "ScenarioResult": "harness.runner",
    "run_scenario": "harness.runner",
    "start_world": "harness.runner",
    "LoadedScenario": "harness.scenario",
    "ScenarioError": "harness.scenario",
    "default_registry": "harness.scenario",
    "discover": "harness.scenario",
    "load_runs": "harness.scenario",
    "load_scenario": "harness.scenario",
    "QwcFile": "harness.webconnector",
    "Transcript": "harness.webconnector",
    "WebConnector": "harness.webconnector",
    "ExternalConnector": "harness.world",
    "World": "harness.world",
    "WorldOptions": "harness.world",
}

__all__ = [
    "AppAdapter",
    "CompanySettings",
    "ExternalConnector",
    "FieldServiceApp",
    "LoadedScenario",
    "NotModeledError",
    "QBDCompany",
    "QwcFile",
    "RunOptions",
    "ScenarioError",
    "ScenarioResult",
    "SimClock",
    "Transcript",
    "WebConnector",
    "World",
    "WorldOptions",
    "default_registry",
    "discover",
    "load_adapter",
    "load_runs",
    "load_scenario",
    "run_scenario",
    "start_world",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
