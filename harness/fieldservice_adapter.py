"""The fake field-service app as a scenario's app side: ``FieldServiceAdapter``.

The fake app (``harness.fake_fieldservice``) is a plain component: its door is its HTTP
API (``.wsgi``) and the same operations in-process, taking what a person sees on screen.
Those in-process operations follow the conventions of ``harness.adapter`` (records named
as a person sees them, money as decimal strings, ``snapshot()`` in the documented shape),
so adapting the app to the scenario language needs no translation: this class adapter
declares the app's operations to be ``AppAdapter``'s. The app knows nothing of scenarios;
the scenario side depends on the app, never the other way round.

``qbwc-harness certify`` uses it when no ``--adapter`` is given, and the world builds it
for every scenario of ``qbwc-harness run``. It hands the app the harness's seeded bulk data
(``harness.app_bulk``) for ``app.generate``.
"""

from __future__ import annotations

from harness import app_bulk
from harness.adapter import AppAdapter
from harness.clock import SimClock
from harness.fake_fieldservice import FieldServiceApp


class FieldServiceAdapter(FieldServiceApp, AppAdapter):
    """The reference implementation of ``AppAdapter``: every app action, served by the
    fake field-service app (its lookups, such as ``payments_for``, are not actions)."""

    def __init__(self, clock: SimClock | None = None, seed: int = 0) -> None:
        super().__init__(clock, seed, bulk_data=app_bulk.field_service_app)
