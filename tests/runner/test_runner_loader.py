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
