"""Run a certification: the scenarios of every claimed behavior, judged per behavior as
passed, failed, not claimed or inconclusive, with what makes two runs comparable (the
harness version, each scenario file's digest, a digest of the transcripts)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

from harness.certification.capabilities import Claim
from harness.certification.plan import Plan, PlannedRun, as_run
from harness.runner.results import ScenarioResult
from harness.runner.run import RunOptions, new_result, run_scenario
from harness.scenario.catalogue import catalogue, id_sort_key

#: The four verdicts of a certification, per behavior.
VERDICTS = ("passed", "failed", "not claimed", "inconclusive")

#: A scenario's status as certification counts it.
_SCENARIO_VERDICT = {
    "passed": "passed",
    "failed": "failed",
    "error": "failed",
    "xpassed": "failed",
    "xfailed": "failed",
    "skipped": "inconclusive",
    "inconclusive": "inconclusive",
}


@dataclass
class BehaviorVerdict:
    behavior: str
    text: str
    claim: Claim
    verdict: str
    results: list[ScenarioResult] = field(default_factory=list)
    reason: str | None = None


@dataclass
class Certification:
    product: str
    profile: str
    target: str  # what was certified: the reference connector, or the service's URL
    adapter: str
    source: str | None
    verdicts: list[BehaviorVerdict]
    results: list[ScenarioResult]
    harness_version: str
    scenario_digests: dict[str, str]  # scenario file (as given) -> sha256 of its text
    transcript_digests: dict[str, str]  # result id -> sha256 of its transcripts
    transcript_digest: str  # sha256 over every result's transcripts
    quickbooks: str = ""  # the QuickBooks product the fake company played (its ProductName)

    def verdict(self, behavior: str) -> str:
        return next(v.verdict for v in self.verdicts if v.behavior == behavior)

    @property
    def certified(self) -> bool:
        """Every claimed behavior passed."""
        return all(v.verdict in ("passed", "not claimed") for v in self.verdicts)

    @property
    def nothing_measured(self) -> str | None:
        """What to say plainly when every scenario was turned away busy (cause ``busy``:
        guide p.62-63, "busy" or a postpone): each one alone is only inconclusive, but all
        of them together say the service is locked (a session an earlier run left open) or
        always busy. Scenarios judged before they ran (needing the app side, or a setting
        of the reference connector) reached no service and count for neither. None
        otherwise."""
        ran = [r for r in self.results if r.transcripts]
        if not ran or any(r.cause != "busy" for r in ran):
            return None
        return (
            f"every session of all {len(ran)} scenarios that reached the service was answered "
            "busy: the service is locked or always busy; nothing was measured (free its lock, "
            "or run again when it takes sessions)"
        )

    def to_json(self) -> dict:
        return {
            "product": self.product,
            "profile": self.profile,
            "target": self.target,
            "adapter": self.adapter,
            "quickbooks": self.quickbooks,
            "harness_version": self.harness_version,
            "transcript_digest": self.transcript_digest,
            "nothing_measured": self.nothing_measured,
            "behaviors": [
                {
                    "id": v.behavior,
                    "claim": v.claim.label,
                    "verdict": v.verdict,
                    "reason": v.reason,
                    "scenarios": [r.id for r in v.results],
                }
                for v in self.verdicts
            ],
            "scenarios": [
                {
                    "id": r.id,
                    "path": str(r.path),
                    "status": r.status,
                    "reason": r.reason,
                    "cause": r.cause,
                    "warnings": r.warnings,
                    "failure": r.failure.render(r.path) if r.failure else None,
                    "sha256": self.scenario_digests.get(str(r.path)),
                    "transcripts_sha256": self.transcript_digests.get(r.id),
                }
                for r in self.results
            ],
        }


def harness_version() -> str:
    try:
        return version("qbwc-harness")
    except PackageNotFoundError:  # running from a tree that was never installed
        return "unknown"


def digest(value: object) -> str:
    """sha256 of ``value`` as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_certification(
    plan: Plan,
    options: RunOptions,
    *,
    target: str,
    adapter: str,
    external: bool = False,
    progress: Callable[[ScenarioResult, int, int], None] | None = None,
) -> Certification:
    runs = plan.unique_runs()
    by_key: dict[object, ScenarioResult] = {}
    left_open: ScenarioResult | None = None  # the last scenario that left a ticket open
    for number, run in enumerate(runs, 1):
        result = _run_one(run, plan, options, external)
        if result.cause == "busy" and left_open is not None:
            # One service outlives every scenario: a session an earlier scenario broke off
            # may hold its lock still, and the blame goes there.
            result.reason = f"{result.reason}; {_locked_by(left_open)}"
        if result.left_session_open:
            left_open = result
        by_key[run.key] = result
        if progress is not None:
            progress(result, number, len(runs))
    results = list(by_key.values())
    verdicts = [
        _verdict(plan, behavior, by_key) for behavior in sorted(catalogue(), key=id_sort_key)
    ]
    transcripts = {r.id: digest(r.transcripts) for r in results}
    files = sorted({str(r.loaded.path): r.loaded.path for r in runs}.items())
    return Certification(
        product=plan.capabilities.product,
        profile=plan.profile,
        target=target,
        adapter=adapter,
        source=plan.capabilities.source,
        verdicts=verdicts,
        results=results,
        harness_version=harness_version(),
        scenario_digests={
            name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files
        },
        transcript_digests=transcripts,
        transcript_digest=digest(sorted(transcripts.items())),
        quickbooks=plan.quickbooks.product_name,
    )


def _locked_by(earlier: ScenarioResult) -> str:
    what = earlier.failure.one_line(earlier.path) if earlier.failure else ""
    return (
        f"the service may still be locked by the earlier scenario {earlier.id} "
        f"({earlier.status}{': ' + what if what else ''}), which ended a session without "
        "closeConnection"
    )


def _run_one(run: PlannedRun, plan: Plan, options: RunOptions, external: bool) -> ScenarioResult:
    loaded = as_run(run, plan, external=external)
    if run.settings:  # the same scenario may also run without the setting: tell them apart
        suffix = ",".join(f"{name}={value}" for name, value in run.settings)
        loaded.scenario.id = f"{loaded.scenario.id}[{suffix}]"
    if run.inconclusive is not None:
        return new_result(loaded, "inconclusive", run.inconclusive)
    result = run_scenario(loaded, options)
    if result.status == "skipped":  # no skips in a certification: it proved nothing
        result.status = "inconclusive"
    return result


def _verdict(plan: Plan, behavior: str, by_key: dict[object, ScenarioResult]) -> BehaviorVerdict:
    claim = plan.capabilities.claim(behavior)
    text = catalogue()[behavior].text
    if not claim.claimed:
        return BehaviorVerdict(behavior, text, claim, "not claimed")
    results = [by_key[run.key] for run in plan.runs.get(behavior, [])]
    if not results:
        none = f"no scenario measures {behavior} under profile {plan.profile!r}"
        return BehaviorVerdict(behavior, text, claim, "inconclusive", [], none)
    counted = [_SCENARIO_VERDICT.get(r.status, "failed") for r in results]
    # passed only if every scenario measuring it ran and passed; any failure fails it
    verdict = next(v for v in ("failed", "inconclusive", "passed") if v in counted)
    if verdict == "passed":
        return BehaviorVerdict(behavior, text, claim, verdict, results)
    why = [_why(r) for r, v in zip(results, counted, strict=True) if v == verdict]
    passed = counted.count("passed")
    if verdict == "inconclusive":
        coverage = (
            f"partial coverage: {passed} of {len(results)} scenarios ran and passed"
            if passed
            else f"none of its {len(results)} scenario(s) proved anything"
        )
        why.insert(0, coverage)
    return BehaviorVerdict(behavior, text, claim, verdict, results, "; ".join(why))


def _why(result: ScenarioResult) -> str:
    if result.failure is not None:
        return f"{result.id}: {result.failure.one_line(result.path)}"
    return f"{result.id}: {result.reason}"
