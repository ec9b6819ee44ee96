"""The planning stages of a session in dependency order, and the plan they build.

A record must never be referenced before the stage that puts it in QuickBooks (status 3140,
QBWC-FACTS.md). To add a domain, add its stage at the right place. The stages are plain
functions of the domain modules; this module is the only one that knows them all.
"""

from __future__ import annotations

from typing import Final

from connector.app_client import AppClient
from connector.session_state import SessionState
from connector.settings import ConnectorSettings
from connector.store import Store
from connector.sync import (
    credit_memos,
    customers_pull,
    deposits,
    inventory,
    invoices_pull,
    payments,
    plan,
)
from connector.sync.plan import Plan, PlanContext, Stage

#: The session-state key of the company file (key) the plan was made for: a session is
#: planned once, at authenticate, unless the first sendRequestXML opens another file.
PLANNED_FOR: Final = "planned_for"

STAGES: tuple[Stage, ...] = (
    # Settings checks first: a missing inventory setting stops the session before any write.
    inventory.plan,
    # QuickBooks first: at the initial setup a record on both sides is adopted, not added.
    customers_pull.plan_stage,
    plan.plan_customers,
    invoices_pull.plan_stage,
    plan.plan_invoices,
    credit_memos.plan_stage,
    plan.plan_app_edits,
    # Payments reference a customer and invoices that the earlier stages sent.
    payments.plan_stage,
    deposits.plan_stage,
    # Last: an edit of a record whose Add is in doubt goes after that Add's probe.
    plan.plan_edits_after_lost_adds,
)


def plan_session(settings: ConnectorSettings, store: Store, app: AppClient, company: str) -> Plan:
    """Build the session's plan: each stage of ``STAGES`` in turn appends its items."""
    if not company:
        # authenticate plans before QuickBooks names the open file (a user whose .qwc has no
        # company file): judge "is there work" by the file synced last; the plan is made
        # again at the first sendRequestXML if the real file is another (``PLANNED_FOR``).
        company = store.last_company_file().strip().lower()
    ctx = PlanContext(settings, store, app, company)
    for stage in STAGES:
        ctx.queue.extend(stage(ctx))
        if ctx.state.get("error"):  # a stage stopped the session (e.g. a missing setting)
            ctx.queue.clear()
            break
    state: SessionState = {
        "total": len(ctx.queue),
        "done": 0,
        "seq": 0,
        "pending": None,
        **ctx.state,
    }
    state[PLANNED_FOR] = company
    return Plan(ctx.queue, state)


def plan_holds(store: Store, planned_for: str | None, company: str) -> bool:
    """Whether the plan made for ``planned_for`` (``PLANNED_FOR`` of the session state) is
    the plan of ``company``: the same file, or two files the store holds nothing of (a first
    sync of a .qwc without a company file). The stages read the store only per company, so
    then both plans read the same app and the same empty store."""
    if planned_for is None:
        return False
    if planned_for == company:
        return True
    return not store.holds_company(planned_for) and not store.holds_company(company)
