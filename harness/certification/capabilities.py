"""Capability declarations: what a connector's vendor claims, per behavior ID.

A declaration is a YAML file::

    product: Syncro (QuickBooks Desktop)   # what is certified, as the report names it
    profile: syncro                        # the reference connector profile that mirrors it
    source: seeds/002 (QBD column)         # where the claims come from (free text)
    claims:
      PAY-07: yes                          # claimed: its scenarios must pass
      PAY-10: no                           # not claimed: reported as such, not run
      CUS-05: {setting: customer_master_sync}            # claimed with that setting on
      PAY-14: {setting: deposit_account, value: Checking}  # ... set to that value
    app_settings: {allow_negative_stock: true}   # the app configuration claims rely on

Behavior IDs the file does not name are not claimed. Every problem is reported with the
file and line, as scenario files are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.scenario.catalogue import catalogue, id_sort_key, unknown_behaviors
from harness.scenario.errors import Problem, ScenarioError
from harness.scenario.loader import read_mapping
from harness.scenario.steps import describe_error
from harness.world import reference_profile_names, reference_setting_problem

#: What YAML gives for the bare words a person writes (PyYAML reads yes/no as booleans).
_WORDS: dict[Any, bool] = {True: True, False: False, "yes": True, "no": False}


class SettingClaim(BaseModel):
    """Claimed when the connector's named setting is on (or has ``value``)."""

    model_config = ConfigDict(extra="forbid")
    setting: str = Field(min_length=1, description="the connector setting the claim needs")
    value: Any = Field(True, description="the value it needs (default: on)")


class CapabilityFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product: str = Field(min_length=1)
    profile: str = Field("default", description="reference connector profile (in-process runs)")
    source: str | None = None
    app_settings: dict[str, Any] = Field(
        default_factory=dict, description="the app configuration the claims need"
    )
    claims: dict[str, bool | Literal["yes", "no"] | SettingClaim] = Field(default_factory=dict)


@dataclass(frozen=True)
class Claim:
    behavior: str
    claimed: bool
    setting: SettingClaim | None = None

    @property
    def label(self) -> str:
        if not self.claimed:
            return "no"
        if self.setting is None:
            return "yes"
        value = "" if self.setting.value is True else f"={self.setting.value}"
        return f"with setting {self.setting.setting}{value}"


@dataclass(frozen=True)
class Capabilities:
    path: Path
    product: str
    profile: str
    source: str | None
    claims: dict[str, Claim] = field(default_factory=dict)
    #: App settings every scenario starts with (a product's documented prerequisites).
    app_settings: dict[str, Any] = field(default_factory=dict)

    def claim(self, behavior: str) -> Claim:
        return self.claims.get(behavior, Claim(behavior, False))

    @property
    def claimed(self) -> list[str]:
        return sorted((b for b, c in self.claims.items() if c.claimed), key=id_sort_key)


def load_capabilities(path: Path) -> Capabilities:
    """Load and check a declaration; ``ScenarioError`` lists every problem as file:line."""
    doc = read_mapping(path, "capability file is a mapping (product, claims)")
    claims = doc.data.get("claims")
    problems = [
        Problem(path, doc.line_of(("claims", key)), unknown_behaviors([key]))
        for key in (claims if isinstance(claims, dict) else {})
        if key not in catalogue()
    ]
    try:
        model = CapabilityFile.model_validate(doc.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            if loc[:1] == ("claims",) and len(loc) > 2:
                # The union's branches each complain; say once what a claim may be.
                loc = loc[:2]
                message = f"claims.{loc[1]}: expected yes, no or {{setting: NAME, value: ...}}"
            else:
                message = describe_error(error)
            problem = Problem(path, doc.line_of(loc), message)
            if problem not in problems:
                problems.append(problem)
    for behavior, raw in model.claims.items() if not problems else ():
        if isinstance(raw, SettingClaim):
            refused = reference_setting_problem(raw.setting, raw.value)
            if refused is not None:
                key = "setting" if refused.startswith("unknown") else "value"
                line = doc.line_of(("claims", behavior, key))
                problems.append(Problem(path, line, f"claims.{behavior}: {refused}"))
    if problems:
        raise ScenarioError(problems)
    profiles = reference_profile_names()
    if model.profile not in profiles:
        known = ", ".join(profiles)
        line = doc.line_of(("profile",))
        raise ScenarioError([Problem(path, line, f"unknown profile {model.profile!r} ({known})")])
    parsed = {}
    for behavior, raw in model.claims.items():
        if isinstance(raw, SettingClaim):
            parsed[behavior] = Claim(behavior, True, raw)
        else:
            parsed[behavior] = Claim(behavior, _WORDS[raw])
    return Capabilities(
        path, model.product, model.profile, model.source, parsed, model.app_settings
    )
