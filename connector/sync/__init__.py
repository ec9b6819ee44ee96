"""The sync engine: a session's plan (``plan``, its stages in ``stages``), the engine that runs it (``engine``), and
one module per domain registering how its work items become qbXML and how answers apply."""

# Importing the domain modules registers their work-item kinds.
from connector.sync import (  # noqa: F401
    credit_memos,
    customers,
    customers_pull,
    deposits,
    inventory,
    invoices,
    invoices_pull,
    items,
    payments,
)
from connector.sync.engine import SessionSync
from connector.sync.plan import APP_SETTINGS, progress
from connector.sync.stages import PLANNED_FOR, plan_holds, plan_session

__all__ = ["APP_SETTINGS", "PLANNED_FOR", "SessionSync", "plan_holds", "plan_session", "progress"]
