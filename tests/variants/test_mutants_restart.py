"""A restart inside a session (between a sendRequestXML and its receiveResponseXML) catches
a connector that keeps a session's state only in memory: the new instance does not know
what the session was waiting for."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from connector import make_wsgi_app
from connector.store import Store, Ticket, ticket_key
from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_scenario
from harness.world import WorldOptions
from tests.variants.mutation import SCENARIOS, failure_text, run_with

SCENARIO = "sync/sync-03-restart-between-send-and-receive.yaml"


class SessionStateInMemory(Store):
    """Keeps each session's state in the process, never in the database (the tickets
    themselves are stored): a new instance sees every open session as just begun."""

    def __init__(self, db_path: str = ":memory:") -> None:
        super().__init__(db_path)
        self._states: dict[str, str] = {}

    def save_state(self, ticket: str, state: dict[str, Any], touched_at: str = "") -> None:
        self._states[ticket_key(ticket)] = json.dumps(state, sort_keys=True)
        super().save_state(ticket, {}, touched_at)

    def get_ticket(self, ticket: str) -> Ticket | None:
        found = super().get_ticket(ticket)
        if found is None:
            return None
        return replace(found, state_json=self._states.get(ticket_key(ticket), "{}"))


def session_state_in_memory(settings: Any, **kwargs: Any) -> Any:
    return make_wsgi_app(settings, store=SessionStateInMemory(settings.db_path), **kwargs)


def test_the_reference_connector_goes_on_after_a_restart_inside_a_session() -> None:
    result = run_with(None, SCENARIO)
    assert result.status == "passed", failure_text(result)


def test_a_connector_with_session_state_in_memory_fails_it() -> None:
    result = run_with(session_state_in_memory, SCENARIO)
    assert result.status == "failed"
    assert "receiveResponseXML without a pending request" in failure_text(result)


def test_a_restart_between_steps_does_not_catch_it() -> None:
    """Why the restart must fall inside a session: between sessions nothing in memory is
    needed, so the older restart scenario passes with this variant."""
    result = run_with(session_state_in_memory, "sync/sync-03-restart-mid-session.yaml")
    assert result.status == "passed", failure_text(result)


def test_without_the_restart_the_memory_variant_passes() -> None:
    """The scenario's restart is what catches it: the same steps with no restart pass."""
    lines = (SCENARIOS / SCENARIO).read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(line for line in lines if "restart_after_call" not in line)
    assert text != "".join(lines)
    loaded = load_scenario(SCENARIOS / SCENARIO, default_registry(), text)
    options = RunOptions(WorldOptions(make_connector=session_state_in_memory))
    result = run_scenario(loaded, options)
    assert result.status == "passed", failure_text(result)
