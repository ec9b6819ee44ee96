"""Fixtures for the connector tests (helpers live in conn_support.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conn_support import FixedClock, Soap, TinyApp, make_settings, seeded_tickets

from connector import make_wsgi_app


@pytest.fixture
def tiny_app() -> TinyApp:
    return TinyApp()


@pytest.fixture
def soap_for() -> Iterator[Callable[..., Soap]]:
    def build(app: TinyApp, **overrides: Any) -> Soap:
        settings = make_settings(app, **overrides)
        return Soap(make_wsgi_app(settings, clock=FixedClock(), new_ticket=seeded_tickets()))

    yield build


@pytest.fixture(autouse=True)
def builders_leave_work_items_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request builder leaves the work item it is given as it was: what its answer
    needs goes back in the Request's notes (issue 20); and the item and the notes use only
    the keys ``WorkItem`` declares. Checked in every connector test."""
    import copy
    import dataclasses

    from connector.sync.handlers import HANDLERS, Request
    from connector.work_queue import WorkItem

    declared = set(WorkItem.__annotations__)

    def checked(build: Any) -> Any:
        def build_and_check(sync: Any, item: dict[str, Any], request_id: str) -> Any:
            assert set(item) <= declared, f"undeclared work-item keys {set(item) - declared}"
            before = copy.deepcopy(item)
            try:
                built = build(sync, item, request_id)
            finally:
                assert item == before, f"the {item.get('kind')} builder changed its work item"
            notes = set(built.notes) if isinstance(built, Request) else set()
            assert notes <= declared, f"undeclared notes {notes - declared}"
            return built

        return build_and_check

    for kind, spec in list(HANDLERS.items()):
        monkeypatch.setitem(HANDLERS, kind, dataclasses.replace(spec, build=checked(spec.build)))


@pytest.fixture(autouse=True)
def states_use_declared_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every session state the store saves uses only the keys ``SessionState`` declares, and
    so do the typed parts inside it (the pending work item, pull marks, inventory reads).
    Checked in every connector test."""
    from connector.session_state import InventoryReads, PullMarks, SessionState
    from connector.store import Store
    from connector.work_queue import WorkItem

    def undeclared(value: Any, typed: type) -> set[str]:
        return set(value or {}) - set(typed.__annotations__)

    save_state = Store.save_state

    def checked(store: Store, ticket: str, state: Any, touched_at: str = "") -> None:
        wrong = undeclared(state, SessionState) | undeclared(state.get("pending"), WorkItem)
        wrong |= undeclared(state.get("inventory"), InventoryReads)
        wrong |= undeclared(state.get("payment_pull"), PullMarks)
        for marks in (state.get("pulls") or {}).values():
            wrong |= undeclared(marks, PullMarks)
        assert not wrong, f"undeclared session-state keys {wrong}"
        save_state(store, ticket, state, touched_at)

    monkeypatch.setattr(Store, "save_state", checked)
