"""FieldServiceBackend: the one facade over the app's state and its per-domain operations
(like a moto backend).

The state lives in ``_state.AppState``; each domain is a module of plain functions over it,
listed here in dependency order (a module imports only those above it):

- ``_change_feed``: the feed a connector polls
- ``_sync_status``: each record's sync object and its history; "sync now", "unsync",
  "Force Update"
- ``_customers``, ``_payment_modes``
- ``_catalogue`` (categories, locations, products) and ``_stock`` (movements, stock levels)
- ``_ledger``: what payments and store credits have applied to each invoice
- ``_invoices``, ``_store_credits``, ``_payments``
- ``_settings_update``: the organization settings

Every operation validates everything first and only then changes state, so a refusal
never leaves a half-applied change. The HTTP API (``_http``) and the in-process app
(``_app``) call the operations below, addressed by record ID, and nothing else.
"""

from __future__ import annotations

from harness.clock import SimClock

from . import (
    _catalogue,
    _change_feed,
    _customers,
    _invoices,
    _ledger,
    _payment_modes,
    _payments,
    _settings_update,
    _stock,
    _store_credits,
    _sync_status,
)
from ._state import AppState

DEFAULT_PAYMENT_MODES = ("Cash", "Online", "Check", "Credit Card")


class FieldServiceBackend(AppState):
    """All the state of one app and the operations on it, by domain."""

    def __init__(
        self, clock: SimClock, payment_modes: tuple[str, ...] | list[str] = DEFAULT_PAYMENT_MODES
    ) -> None:
        super().__init__(clock)
        for name in payment_modes:
            self.create_payment_mode(name)

    # The operations: each is its domain module's function, called with this state.

    changes_since = _change_feed.changes_since

    record_for = _sync_status.record_for
    put_sync = _sync_status.put_sync
    request_force_update = _sync_status.request_force_update
    request_sync = _sync_status.request_sync
    request_unsync = _sync_status.request_unsync

    customer = _customers.get_customer
    customer_by_name = _customers.customer_by_name
    create_customer = _customers.create_customer
    update_customer = _customers.update_customer
    delete_customer = _customers.delete_customer

    create_payment_mode = _payment_modes.create_payment_mode

    create_category = _catalogue.create_category
    create_location = _catalogue.create_location
    location_by_name = _catalogue.location_by_name
    product = _catalogue.get_product
    product_by_name = _catalogue.product_by_name
    create_product = _catalogue.create_product
    update_product = _catalogue.update_product

    adjust_stock = _stock.adjust_stock
    transfer_stock = _stock.transfer_stock

    applied_to = _ledger.applied_to
    invoice_status = _ledger.invoice_status

    invoice = _invoices.get_invoice
    invoice_by_number = _invoices.invoice_by_number
    invoice_dict = _invoices.invoice_dict
    create_invoice = _invoices.create_invoice
    update_invoice = _invoices.update_invoice
    void_invoice = _invoices.void_invoice
    delete_invoice = _invoices.delete_invoice

    create_store_credit = _store_credits.create_store_credit

    payment = _payments.get_payment
    create_payment = _payments.create_payment
    update_payment = _payments.update_payment
    void_payment = _payments.void_payment
    fail_payment = _payments.fail_payment
    delete_payment = _payments.delete_payment

    update_settings = _settings_update.update_settings
