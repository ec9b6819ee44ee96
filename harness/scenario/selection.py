"""Choose which loaded scenarios a run takes: tags, behaviors, profile, -k, shards."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.scenario.catalogue import matches
from harness.scenario.loader import LoadedScenario


class SelectionError(ValueError):
    pass


@dataclass(frozen=True)
class Selection:
    tags: tuple[str, ...] = ()
    behaviors: tuple[str, ...] = ()
    profile: str | None = None
    keyword: str | None = None
    shard: tuple[int, int] | None = None  # (index from 1, count)

    def apply(self, scenarios: list[LoadedScenario]) -> list[LoadedScenario]:
        chosen = [s for s in scenarios if self._wanted(s)]
        if self.shard:
            index, count = self.shard
            chosen = [s for position, s in enumerate(chosen) if position % count == index - 1]
        return chosen

    def _wanted(self, loaded: LoadedScenario) -> bool:
        scenario = loaded.scenario
        if self.tags and not set(self.tags) & set(scenario.tags):
            return False
        if self.behaviors and not any(
            matches(b, wanted) for b in scenario.behaviors for wanted in self.behaviors
        ):
            return False
        if self.profile and scenario.profile != self.profile:
            return False
        if self.keyword:
            haystack = f"{scenario.id} {scenario.title} {loaded.path}".lower()
            return self.keyword.lower() in haystack
        return True


def parse_shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = re.fullmatch(r"(\d+)/(\d+)", text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise SelectionError(f"--shard takes i/n with 1 <= i <= n (e.g. 1/4), got {text!r}")
    return int(match[1]), int(match[2])
