"""The whole loop as a hypothesis ``RuleBasedStateMachine``: a fresh world per example, one
rule per line of ``rules.RULES``, invariants judged after every Web Connector run.

Every rule becomes a raw scenario step, parsed against the scenario vocabulary and carried
out by the runner's executor, so the steps a failing example recorded are a scenario.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import yaml
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from harness.fake_qbd.settings import CompanySettings
from harness.fuzz.model import CUSTOMERS, METHOD, Model, visibly_failed
from harness.fuzz.model_credits import credit_memo_duplicates
from harness.fuzz.model_deposits import deposit_duplicates
from harness.fuzz.model_doubt import Doubt
from harness.fuzz.model_stock import stock_for
from harness.fuzz.rules import OTHER_COMPUTER, RULES, SECOND_WEB_CONNECTOR, RawStep, Rule
from harness.fuzz.worlds import (
    LEDGER_AREAS,
    advanced_inventory,
    directions_of,
    ledger_config,
    ledger_given,
    ledger_worlds,
)
from harness.runner.judge import StepFailed, check_expectation
from harness.runner.run import RunOptions, start_world
from harness.runner.steps import perform_step
from harness.scenario import Expectation, default_registry, load_scenario
from harness.scenario.loader import LoadedScenario
from harness.scenario.steps import Step, parse_step
from harness.webconnector.transcript import SoapCall, Transcript
from harness.world import HARNESS_USER, MakeConnector, World, WorldOptions

_COMPANY_FILE = CompanySettings().company_file
_OTHER_USER, _OTHER_PASSWORD = "front-desk", "front-desk-secret-1"

#: The connector's users, as a scenario's ``config`` block: both name the company file, so
#: a second user's run is answered "busy" at authenticate while the first one works.
CONFIG: dict[str, Any] = {
    "users": [
        {"username": HARNESS_USER, "company_file": _COMPANY_FILE},
        {"username": _OTHER_USER, "password": _OTHER_PASSWORD, "company_file": _COMPANY_FILE},
    ]
}

#: The sync directions an example's world is drawn with (connector settings, added to
#: ``CONFIG``): both ways, the default; or the app leading customers and invoices, where a
#: session's first requests are writes instead of pull queries, so a lost answer hides an
#: Add that a pull would otherwise have found (the fuzz rules create both in the app only).
DIRECTIONS: dict[str, dict[str, str]] = {
    "two-way": {},
    "app-led": {"customer_direction": "to_qbd", "invoice_direction": "to_qbd"},
}

#: The world every example starts from, as a scenario's ``given`` block.
GIVEN: dict[str, Any] = {
    "web_connectors": {
        "default": {},
        SECOND_WEB_CONNECTOR: {},
        OTHER_COMPUTER: {"qwc": {"UserName": _OTHER_USER}, "password": _OTHER_PASSWORD},
    },
    "qbd": [{"add_payment_method": {"name": METHOD}}],
    "app": [{"create_customer": {"name": name}} for name in CUSTOMERS],
}

#: Invariant names, and the behaviors a finding of each is filed under.
INVARIANTS = {
    "duplicated record": ["PAY-17", "WC-14", "SYNC-03"],
    "failure without its error": ["SYNC-01"],
    "sides disagree after a quiet sync": ["PAY-17", "SYNC-03", "IVC-06"],
    "a quiet sync did not complete": ["WC-01", "SYNC-03"],
    "a quiet concurrent sync ended in an error": ["WC-14", "SYNC-03"],
}

#: How a calm run of two computers may end for each of them: done, nothing to do, or told
#: "busy" while the other works (WC-14: "answers busy or serializes"; guide p.62). An error
#: (a ticket answered for the other session, a response refused) is what a user sees when
#: sessions mix.
CLEAN_CONCURRENT_OUTCOMES = ["completed", "none", "busy"]


class InvariantViolated(AssertionError):
    """An invariant failed; the finding (its steps) is on the fuzz session."""


@dataclass
class Finding:
    invariant: str
    message: str
    steps: list[RawStep]
    #: the world's sync directions (a key of ``DIRECTIONS``)
    directions: str = "two-way"


@dataclass
class FuzzSession:
    """What one fuzz run shares with the machines it creates (one per example)."""

    make_connector: MakeConnector | None = None
    examples: int = 0
    steps: int = 0
    #: examples that ran before the first violation (the rest replay it while shrinking)
    examples_to_first: int | None = None
    last: Finding | None = None
    findings: int = 0
    #: violations a variant shares with the reference connector (not counted as found)
    shared_with_reference: int = 0
    #: syncs after which both sides were judged in full (no fault fired or waiting)
    quiet_checks: int = 0
    rule_counts: Counter[str] = field(default_factory=Counter)
    #: told about every tenth example (the CLI prints progress)
    progress: Callable[[FuzzSession], None] | None = None


def pulls_customers(directions: str) -> bool:
    """Whether a world drawn with ``directions`` brings QuickBooks customers into the app."""
    sync_directions = DIRECTIONS[directions_of(directions)]
    return sync_directions.get("customer_direction", "both") in ("both", "from_qbd")


def config_for(directions: str) -> dict[str, Any]:
    """The connector settings of a world drawn with ``directions`` (a ledger world,
    ``worlds.ledger_worlds``, adds the inventory sync)."""
    return {**CONFIG, **DIRECTIONS[directions_of(directions)], **ledger_config(directions)}


def given_for(directions: str) -> dict[str, Any]:
    """The ``given`` block of a world drawn with ``directions``."""
    extra = ledger_given(directions)
    given = {**GIVEN, **{key: value for key, value in extra.items() if key not in GIVEN}}
    for side in ("qbd", "app"):
        given[side] = [*GIVEN[side], *extra.get(side, [])]
    return given


def model_for(directions: str) -> Model:
    """The model of a fresh world drawn with ``directions``."""
    return Model(
        pulls_customers=pulls_customers(directions),
        stock=stock_for(advanced_inventory(directions)),
        deposits=None if advanced_inventory(directions) is None else Doubt(),
    )


@cache
def base_scenario(directions: str = "two-way") -> LoadedScenario:
    """The scenario header every example and every finding of a world drawn with
    ``directions`` shares, through the loader (``expect: {}``: the invariants checked
    after every sync are the test)."""
    header = {"id": "fuzz-world", "title": "fuzz", "behaviors": ["SYNC-03"]}
    scenario = {
        **header,
        "config": config_for(directions),
        "given": given_for(directions),
        "expect": {},
    }
    return load_scenario(Path("<fuzz>"), default_registry(), text=yaml.safe_dump(scenario))


#: A session that asks for more requests than this is a runaway (the Web Connector's own
#: safety net is 10,000; a broken connector looping to it would cost minutes per example).
MAX_REQUESTS = 300


def start(make_connector: MakeConnector | None, directions: str = "two-way") -> World:
    """A fresh world for an example or a replay."""
    options = RunOptions(WorldOptions(make_connector=make_connector))
    world = start_world(base_scenario(directions), options)
    for station in world.stations.values():
        if station.web_connector is not None:
            station.web_connector.max_requests = MAX_REQUESTS
    return world


def parse(raw: RawStep, index: int) -> Step:
    step, problems = parse_step(raw, ("steps", index), default_registry(), index + 1)
    if step is None or problems:
        raise ValueError(f"the rule table made a step the scenario language refuses: {raw!r}")
    return step


class WholeLoop(RuleBasedStateMachine):
    """Rules are added per ``Rule`` by ``machine_for``; see ``rules.RULES``."""

    session: ClassVar[FuzzSession]

    def __init__(self) -> None:
        super().__init__()
        self.session.examples += 1
        if self.session.progress and self.session.examples % 10 == 0:
            self.session.progress(self.session)
        self.directions = "two-way"
        self._world: World | None = None
        self.model = Model()
        self.steps: list[RawStep] = []
        #: a violation the reference connector shares was seen: stop judging this example
        self.shared = False

    @initialize(directions=st.sampled_from(list(DIRECTIONS)))
    def start_world(self, directions: str) -> None:
        """Each example's world is drawn first: which way customers and invoices sync."""
        self.directions = directions
        self.model = model_for(directions)
        self._world = start(self.session.make_connector, directions)

    def teardown(self) -> None:
        if self._world is not None:
            self._world.close()

    @property
    def world(self) -> World:
        assert self._world is not None, "rules run after start_world"
        return self._world

    # -- carrying out a rule --------------------------------------------------------------

    def run_rule(self, spec: Rule, a: int, b: int) -> None:
        raw = spec.make(self.model, a, b)
        if raw is None:
            return
        step = parse(raw, len(self.steps))
        marks = self._fault_marks()
        sessions_before = len(self.world.transcripts)
        try:
            perform_step(self.world, step)
        except StepFailed:
            if spec.kind == "sync":
                raise
            return  # a person could not do it now (the other side moved first): not recorded
        self.steps.append(raw)
        self.model.observe(raw)
        self.session.steps += 1
        self.session.rule_counts[spec.name] += 1
        if spec.kind == "sync":
            company = self.world.qbd.snapshot()
            invoices, customers = company.get("Invoice", []), company.get("Customer", [])
            self.model.in_qbd = {str(invoice.get("RefNumber")) for invoice in invoices}
            self.model.customers_in_qbd = {str(customer.get("Name")) for customer in customers}
            judged = judgement(self.world, raw, marks)
            if judged:
                self.session.quiet_checks += 1
            if not self.shared:
                runs = self.world.transcripts[sessions_before:]
                for invariant, message in violations(self.world, self.model, judged, runs):
                    self._violated(invariant, message)

    def armed(self) -> int:
        return armed(self.world)

    def _fault_marks(self) -> tuple[int, int, int]:
        return fault_marks(self.world)

    def _violated(self, invariant: str, message: str) -> None:
        session = self.session
        if session.make_connector is not None and _reference_too(
            self.steps, invariant, self.directions
        ):
            # The reference connector does the same: not this variant's bug (fuzz the
            # reference connector to find it). Keep looking.
            session.shared_with_reference += 1
            self.shared = True  # from here the sides are off the model for both connectors
            return
        if session.examples_to_first is None:
            session.examples_to_first = session.examples
        session.findings += 1
        session.last = Finding(invariant, message, list(self.steps), self.directions)
        raise InvariantViolated(f"{invariant}: {message}")


def judgement(world: World, raw: RawStep, before: tuple[int, int, int]) -> str | None:
    """How the Web Connector run ``raw`` just made is judged in full: "sync" for a plain
    sync that must complete and leave both sides as the model says, "concurrent" for a
    concurrent run whose sessions must each end cleanly, None when a fault fired in it or
    waits (``before``: the fault marks taken before the run)."""
    if not calm(world, before):
        return None
    if isinstance(raw, dict) and "concurrent_sync" in raw:
        if SECOND_WEB_CONNECTOR in raw["concurrent_sync"]["web_connectors"]:
            # The same user twice: the second login may rightly end the first session in
            # an error (WC-13), so only what every run is judged on applies (no duplicate,
            # no silent failure); the next quiet sync judges the sides.
            return None
        return "concurrent"
    plain = raw == "sync" or (isinstance(raw, dict) and "sync" in raw)
    return "sync" if plain and not left_open(world) else None


def left_open(world: World) -> bool:
    """Whether another user's session, ended by a fault before closeConnection, may still
    hold its ticket: until the connector lets it expire the company file is busy for
    everyone else (WC-14), so the last run is not expected to complete."""
    if not world.transcripts:
        return False
    *earlier, last = world.transcripts
    latest = {transcript.user_name: transcript for transcript in earlier}
    return any(
        user != last.user_name and _holds_ticket(transcript) for user, transcript in latest.items()
    )


def _holds_ticket(transcript: Transcript) -> bool:
    if not transcript.ticket or transcript.outcome.status == "busy":
        return False  # a busy answer's ticket is not a session (guide p.62)
    return not any(
        isinstance(event, SoapCall) and event.method == "closeConnection" and event.error is None
        for event in transcript.events
    )


def violations(
    world: World, model: Model, judged: str | None, runs: list[Transcript]
) -> list[tuple[str, str]]:
    """The invariants ``world`` breaks now, after a Web Connector run that made the
    sessions ``runs`` (``judged``: see ``judgement``)."""
    found: list[tuple[str, str]] = []
    last = runs[-1] if runs else None
    if judged == "sync" and last is not None and last.outcome.status != "completed":
        # Nothing went wrong on either side, yet the session did not complete.
        detail = f"{last.outcome.status}: {last.outcome.message}"
        found.append(("a quiet sync did not complete", detail))
    if judged == "concurrent":
        mixed = [t for t in runs if t.outcome.status not in CLEAN_CONCURRENT_OUTCOMES]
        if mixed:
            detail = "; ".join(
                f"{t.user_name}: {t.outcome.status}: {t.outcome.message}" for t in mixed
            )
            found.append(("a quiet concurrent sync ended in an error", detail))
    app, qbd = world.app.snapshot(), world.qbd.snapshot()
    twice = (
        _duplicates(app.get("payments", []), "reference")
        + _duplicates(qbd.get("ReceivePayment", []), "RefNumber")
        + _duplicates(qbd.get("Invoice", []), "RefNumber")
        + credit_memo_duplicates(qbd)
        + deposit_duplicates(qbd)
    )
    if twice:
        found.append(("duplicated record", f"twice: {', '.join(twice)}"))
    held, silent = visibly_failed(app)
    if silent:
        found.append(("failure without its error", f"failed, no error: {silent}"))
    if judged == "sync":
        try:
            check_expectation(world, Expectation.model_validate(model.expectation(held)))
        except StepFailed as failed:
            rendered = failed.failure.render(Path("<fuzz>"))
            found.append(("sides disagree after a quiet sync", rendered))
    return found


def _reference_too(steps: list[RawStep], invariant: str, directions: str) -> bool:
    """Whether the reference connector, put through the same steps, breaks the same
    invariant."""
    world = start(None, directions)
    model = model_for(directions)
    try:
        for index, raw in enumerate(steps):
            marks, sessions = fault_marks(world), len(world.transcripts)
            perform_step(world, parse(raw, index))
            model.observe(raw)
        judged = judgement(world, steps[-1], marks)
        found = violations(world, model, judged, world.transcripts[sessions:])
        return any(name == invariant for name, _ in found)
    except StepFailed:
        return False
    finally:
        world.close()


def _app_faults(world: World) -> Any:
    """The fake app's fault plan (the fuzzer's worlds always have the fake app)."""
    return getattr(world.app, "faults", None)


def armed(world: World) -> int:
    """Faults waiting to fire, in the Web Connector, in the app and in QuickBooks (a status
    fault the rules arm fires once: until then it waits)."""
    waiting = sum(1 for rule in world.faults.rules if rule.times > 0)
    app_faults = _app_faults(world)
    in_app = len(app_faults.pending()) if app_faults is not None else 0
    return waiting + in_app + len(world.qbd.faults.unfired())


def fault_marks(world: World) -> tuple[int, int, int]:
    """How many faults fired so far in the Web Connector and in the app, and how many
    QuickBooks status faults still wait (one that fires changes the count)."""
    app_faults = _app_faults(world)
    fired_in_app = len(app_faults.log) if app_faults is not None else 0
    fired = sum(rule.fired for rule in world.faults.rules)
    return fired, fired_in_app, len(world.qbd.faults.unfired())


def calm(world: World, before: tuple[int, int, int]) -> bool:
    """No fault fired since ``before`` and none is waiting: a sync now must complete and
    the sides must agree after it."""
    return not armed(world) and fault_marks(world) == before


def _duplicates(records: list[dict[str, Any]], key: str) -> list[str]:
    counts = Counter(str(r.get(key)) for r in records if r.get(key))
    return sorted(ref for ref, count in counts.items() if count > 1)


def _rule_method(spec: Rule) -> Any:
    def method(self: WholeLoop, a: int, b: int) -> None:
        self.run_rule(spec, a, b)

    method.__name__ = spec.name
    method.__doc__ = spec.make.__doc__
    decorated = rule(a=st.integers(0, 7), b=st.integers(0, 7))(method)
    if spec.kind == "fault":
        # More faults waiting than a session can fire only postpone every judgement.
        return precondition(lambda self: self.armed() < 3)(decorated)
    return precondition(lambda self: spec.applies(self.model))(decorated)


def worlds_drawn(rules: Iterable[Rule]) -> list[str] | None:
    """The worlds a run with ``rules`` draws from, when not only ``DIRECTIONS`` (None). The
    ledger areas need their product, sites and bank account: a run with their rules draws
    from those worlds too, and only from them when no other area is in. A run without
    them (a pinned one among them) draws as before."""
    rules = tuple(rules)
    if not any(spec.area in LEDGER_AREAS for spec in rules):
        return None
    others = any(spec.kind != "sync" and spec.area not in LEDGER_AREAS for spec in rules)
    return [*(DIRECTIONS if others else ()), *ledger_worlds(DIRECTIONS)]


def _start_ledger_world(self: WholeLoop, directions: str) -> None:
    """Each example's world is drawn first: its sync directions, Advanced Inventory on or
    off."""
    WholeLoop.start_world(self, directions)


def machine_for(session: FuzzSession, rules: Iterable[Rule] = RULES) -> type[WholeLoop]:
    """A state machine class bound to ``session``, with one rule per table line of
    ``rules`` (a rule with weight n is registered n times, so hypothesis picks it n times
    as often)."""
    namespace: dict[str, Any] = {"session": session}
    rules = tuple(rules)
    worlds = worlds_drawn(rules)
    if worlds is not None:
        drawn = st.sampled_from(worlds)
        namespace["start_world"] = initialize(directions=drawn)(_start_ledger_world)
    for spec in rules:
        for copy in range(spec.weight):
            namespace[f"{spec.name}_{copy}"] = _rule_method(spec)
    return type("WholeLoop", (WholeLoop,), namespace)
