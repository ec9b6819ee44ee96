"""Which scenarios measure a claimed behavior, and how each runs in a certification.

Under profile ``p``, a claimed behavior is measured by the scenarios that name it and are
written for ``p`` (the product's own version of the behavior, its documented limitations
included); when ``p`` has none, by the reference scenarios (profile ``default``), run under
``p``. A ``{setting: ...}`` claim adds that connector setting where the scenario is silent.

Nothing is skipped: a scenario that cannot prove anything against this connector or app
(it needs a restart, the reference connector's settings, or an app the harness cannot
reach) is carried with the reason and reported as inconclusive.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from harness.certification.capabilities import Capabilities
from harness.certification.quickbooks import DEFAULT_PRODUCT, QuickBooksProduct, product
from harness.scenario.loader import LoadedScenario
from harness.scenario.model import Scenario

#: Tags a scenario carries when a connector that is not ours cannot be put through it.
OUTSIDE_TAGS = {
    "needs-app": "needs the app side (the connector's own app is not reachable by the harness)",
    "needs-restart": "needs a connector restart (the harness cannot restart it)",
}


def outside_reasons(scenario: Scenario, *, app_reachable: bool = False) -> list[str]:
    """Why a connector that is not ours cannot be put through ``scenario`` (empty: it can).
    ``app_reachable``: an app adapter for the vendor's app was given."""
    reasons = [
        why
        for tag, why in OUTSIDE_TAGS.items()
        if tag in scenario.tags and not (tag == "needs-app" and app_reachable)
    ]
    if scenario.config:
        reasons.append("configures the connector (settings of the reference connector)")
    if scenario.profile != "default":
        reasons.append(f"needs the connector profile {scenario.profile!r}")
    return reasons


@dataclass(frozen=True)
class PlannedRun:
    """One scenario as this certification runs it (a scenario serving several behaviors
    runs once per distinct setting)."""

    loaded: LoadedScenario
    settings: tuple[tuple[str, Any], ...] = ()
    inconclusive: str | None = None  # why it cannot prove anything here (not run)

    @property
    def key(self) -> tuple[str, tuple[tuple[str, Any], ...]]:
        return self.loaded.id, self.settings


@dataclass
class Plan:
    capabilities: Capabilities
    profile: str
    #: the QuickBooks product every scenario plays, unless it names its own (its qbXML versions)
    quickbooks: QuickBooksProduct = field(default_factory=lambda: product(DEFAULT_PRODUCT))
    #: behavior -> the runs that measure it (empty: no scenario covers it here)
    runs: dict[str, list[PlannedRun]] = field(default_factory=dict)

    def unique_runs(self) -> list[PlannedRun]:
        seen: dict[Any, PlannedRun] = {}
        for runs in self.runs.values():
            for run in runs:
                seen.setdefault(run.key, run)
        return sorted(seen.values(), key=lambda r: (str(r.loaded.path), repr(r.settings)))


def measuring(scenarios: list[LoadedScenario], behavior: str, profile: str) -> list[LoadedScenario]:
    """The scenarios that measure ``behavior`` under ``profile`` (see the module doc)."""
    naming = [s for s in scenarios if behavior in s.scenario.behaviors]
    own = [s for s in naming if s.scenario.profile == profile]
    if own:
        return own
    return [s for s in naming if s.scenario.profile == "default"]


def plan_certification(
    scenarios: list[LoadedScenario],
    capabilities: Capabilities,
    *,
    profile: str | None = None,
    external: bool = False,
    app_reachable: bool = True,
    quickbooks: str = DEFAULT_PRODUCT,
) -> Plan:
    """The runs that measure every claimed behavior. ``external``: the connector is not
    ours (its settings, profile and restarts are out of the harness's reach); ``quickbooks``:
    the product the fake company is (harness.certification.quickbooks)."""
    chosen_profile = profile or capabilities.profile
    plan = Plan(capabilities, chosen_profile, product(quickbooks))
    for behavior in capabilities.claimed:
        claim = capabilities.claim(behavior)
        runs = []
        for loaded in measuring(scenarios, behavior, chosen_profile):
            settings: tuple[tuple[str, Any], ...] = ()
            if claim.setting is not None and claim.setting.setting not in loaded.scenario.config:
                settings = ((claim.setting.setting, claim.setting.value),)
            why = loaded.scenario.skip and f"marked skip: {loaded.scenario.skip}"
            if external and not why:
                reasons = outside_reasons(
                    loaded.scenario.model_copy(update={"profile": "default"}),
                    app_reachable=app_reachable,
                )
                why = "; ".join(reasons) or None
            runs.append(PlannedRun(loaded, settings, why or None))
        plan.runs[behavior] = runs
    return plan


def as_run(run: PlannedRun, plan: Plan, *, external: bool) -> LoadedScenario:
    """The scenario as it runs here: under the certified profile (in-process), with the
    claim's setting and the declared app settings where the scenario is silent, and judged
    plainly (an ``xfail`` mark does not excuse a claim)."""
    scenario = run.loaded.scenario
    given = scenario.given.model_copy(
        update={
            "app_settings": {**plan.capabilities.app_settings, **scenario.given.app_settings},
            "qbd_settings": playing(plan.quickbooks, scenario.given.qbd_settings),
        }
    )
    update: dict[str, Any] = {"xfail": None, "skip": None, "given": given}
    if not external:
        update["profile"] = plan.profile
        update["config"] = {**dict(run.settings), **scenario.config}
    return dataclasses.replace(run.loaded, scenario=scenario.model_copy(update=update))


def playing(quickbooks: QuickBooksProduct, qbd_settings: dict[str, Any]) -> dict[str, Any]:
    """A scenario's company settings as ``quickbooks``; a scenario that names its own qbXML
    versions plays its own product (its HostRet is written consistent with them)."""
    if "supported_qbxml_versions" in qbd_settings:
        return qbd_settings
    return {**quickbooks.host_settings(), **qbd_settings}
