"""Deliberately broken connector variants, and the check that the scenario suite catches
them: a scenario that passes whatever the connector does proves nothing.

A variant is a ``make_connector`` callable with the signature of
``connector.make_wsgi_app(settings, **kwargs)``; it builds the reference connector with one
bug planted (through its injection points: the app client, the store, the clock), or wraps
its WSGI app. ``run_with(variant, scenario_path)`` runs a shipped scenario against it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from connector import AppClient, make_wsgi_app
from connector.session import QbwcSessions
from connector.sync.engine import SessionSync
from harness.runner.results import ScenarioResult
from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_runs, load_scenario
from harness.world import WorldOptions

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"

Variant = Callable[..., Any]


def run_with(variant: Variant | None, scenario: str) -> ScenarioResult:
    """Run ``scenarios/<scenario>`` against ``variant`` (None: the reference connector)."""
    loaded = load_scenario(SCENARIOS / scenario, default_registry())
    return run_scenario(loaded, RunOptions(WorldOptions(make_connector=variant)))


def run_all_with(variant: Variant | None, scenario: str) -> list[ScenarioResult]:
    """``run_with`` for a file with ``profiles``: every run of it, one per profile."""
    options = RunOptions(WorldOptions(make_connector=variant))
    return [run_scenario(r, options) for r in load_runs(SCENARIOS / scenario, default_registry())]


def app_client_for(settings: Any, client_class: type[AppClient]) -> AppClient:
    """An app client of ``client_class`` reaching the app the way ``settings`` say."""
    if settings.app_transport is not None:
        return client_class(transport=settings.app_transport)
    return client_class(base_url=settings.app_base_url)


def with_app_client(client_class: type[AppClient]) -> Variant:
    """A variant whose bug lives in how it talks to the app."""

    def make(settings: Any, **kwargs: Any) -> Any:
        return make_wsgi_app(settings, app_client=app_client_for(settings, client_class), **kwargs)

    make.__name__ = client_class.__name__
    return make


def with_sessions(sessions_class: type[Any]) -> Variant:
    """A variant whose bug lives in a QBWC callback: ``sessions_class`` subclasses
    ``connector.session.QbwcSessions`` and overrides the callback it breaks."""

    def make(settings: Any, **kwargs: Any) -> Any:
        return make_wsgi_app(settings, sessions_class=sessions_class, **kwargs)

    make.__name__ = sessions_class.__name__
    return make


def sessions_with(sync_class: type[SessionSync]) -> type[QbwcSessions]:
    """The reference connector's callbacks with ``sync_class`` (a ``SessionSync`` subclass
    that breaks one step) doing each session's sync."""

    class Sessions(QbwcSessions):
        def _sync(self, session: Any, state: dict[str, Any]) -> SessionSync:
            reference = super()._sync(session, state)
            return sync_class(
                reference.settings,
                reference.store,
                reference.app,
                reference.clock,
                company=reference.company,
                ticket=reference.ticket,
                app_settings=reference.app_settings(),
            )

    Sessions.__name__ = sync_class.__name__
    return Sessions


def failure_text(result: ScenarioResult) -> str:
    """The failure as the report prints it (empty when the scenario passed)."""
    return result.failure.render(result.path) if result.failure else ""
