"""Scenario files are checked before anything runs; each problem names file and line."""

from pathlib import Path

import pytest

from harness.scenario import Registry, ScenarioError, load_scenario
from harness.scenario.actions import actions_of

BAD = Path(__file__).with_name("bad_scenarios")


class Operator:
    def add_customer(self, name: str, parent: str | None = None) -> dict:
        """Create a customer."""
        return {}


class App:
    def create_invoice(self, customer: str, total: float, number: str | None = None) -> dict:
        return {}


class Faults:
    def drop_before_call(self, method: str, nth: int = 1) -> "Faults":
        return self


REGISTRY = Registry(
    qbd=actions_of(Operator, "qbd"),
    app=actions_of(App, "app"),
    faults={"drop_before_call": actions_of(Faults, "fault")["drop_before_call"].args_model},
)

GOOD = """\
id: good-one
title: A valid scenario
behaviors: [WC-01, PAY-02]
given:
  qbd:
    - add_customer: {name: Acme}
  app:
    - create_invoice: {customer: Acme, total: 10}
steps:
  - sync
  - qbd.add_customer: {name: Beta, parent: Acme}
  - fault: {name: drop_before_call, method: sendRequestXML}
  - clock: {advance: 300}
  - connector: restart
  - expect: {app: {invoices: {"1001": {status: open}}}}
expect:
  transcript: {outcome: completed, requests: {InvoiceAdd: 1}}
"""


def test_a_good_file_loads_with_typed_steps_and_lines(tmp_path):
    path = tmp_path / "good.yaml"
    loaded = load_scenario(path, REGISTRY, GOOD)
    assert [s.label for s in loaded.steps] == [
        "sync",
        "qbd.add_customer",
        "fault",
        "clock",
        "connector",
        "expect",
    ]
    assert [s.line for s in loaded.steps] == [10, 11, 12, 13, 14, 15]
    assert loaded.steps[1].args == {"name": "Beta", "parent": "Acme"}
    assert loaded.given_app[0].args == {"customer": "Acme", "total": 10.0}
    assert loaded.expect_line == 17


# Each bad file's first line is a comment: "# expect: LINE: TEXT".
BAD_FILES = sorted(BAD.glob("*.yaml"))


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_each_bad_file_gives_one_line_naming_file_and_line(path):
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# expect: "), f"{path} lacks its '# expect: LINE: TEXT' header"
    want_line, _, want_text = header.removeprefix("# expect: ").partition(": ")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, REGISTRY)
    first = caught.value.problems[0]
    assert str(first).startswith(f"{path}:{want_line}: "), str(caught.value)
    assert want_text in first.message, str(caught.value)
    assert "\n" not in str(first)


def test_the_corpus_is_big_enough_to_mean_something():
    assert len(BAD_FILES) >= 15


# With the real vocabulary: numbers are checked at load, at their own line.
PAYMENT = """\
id: typed-amounts
title: t
behaviors: [PAY-02]
given:
  qbd:
    - create_invoice:
        customer: Acme
        lines:
          - {description: Drain, quantity: 1, rate: "250.00"}
          - {description: Extra, quantity: two, rate: "5"}
steps:
  - qbd.receive_payment: {customer: Acme, amount: lots}
expect: {}
"""


def test_a_number_that_is_not_one_is_refused_at_its_line(tmp_path):
    from harness.scenario import default_registry

    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "s.yaml", default_registry(), PAYMENT)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (10, "lines.1.quantity: expected a number such as \"250.00\" or 3, got 'two'"),
        (12, "amount: expected a number such as \"250.00\" or 3, got 'lots'"),
    ]


def test_numbers_reach_the_action_as_written(tmp_path):
    from harness.scenario import default_registry

    good = PAYMENT.replace("two", "2").replace("lots", "'250.00'")
    loaded = load_scenario(tmp_path / "s.yaml", default_registry(), good)
    assert loaded.steps[0].args == {"customer": "Acme", "amount": "250.00"}
    assert loaded.given_qbd[0].args["lines"][1] == {
        "description": "Extra",
        "quantity": 2,
        "rate": "5",
    }


def test_a_scenario_without_expect_is_refused_unless_it_says_so(tmp_path):
    silent = GOOD.split("expect:\n  transcript")[0]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "s.yaml", REGISTRY, silent)
    (problem,) = caught.value.problems
    assert problem.line == 15 and "`expect: {}`" in problem.message
    with pytest.raises(ScenarioError):
        load_scenario(tmp_path / "s.yaml", REGISTRY, silent + "expect:\n")  # left empty
    assert load_scenario(tmp_path / "s.yaml", REGISTRY, silent + "expect: {}\n").expect_line == 16


def test_an_unknown_collection_in_expect_is_refused_at_its_line(tmp_path):
    from harness.scenario import default_registry

    text = (
        "id: typo\ntitle: t\nbehaviors: [PAY-02]\nsteps:\n  - sync\n"
        "  - expect: {qbd: {Invoices: {'1001': {IsPaid: true}}}}\n"
        "expect:\n  app:\n    invoice:\n      '1001': {status: paid}\n"
        "  app_counts: {'payments[status=active]': 1, 'paymnts': 0}\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "s.yaml", default_registry(), text)
    found = [(p.line, p.message.split(";")[0]) for p in caught.value.problems]
    assert found == [
        (6, "unknown qbd collection 'Invoices'"),
        (10, "unknown app collection 'invoice'"),  # the line its records start
        (11, "unknown app collection 'paymnts'"),
    ]
