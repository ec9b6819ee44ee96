"""The fake field-service app: an in-memory, Zuper-like product a connector syncs with.

``FieldServiceApp(clock=..., seed=...)`` offers the JSON HTTP API as ``.wsgi`` and the same
operations in-process; ``.snapshot()`` gives its whole state for assertions.
"""

from ._app import FieldServiceApp
from ._backend import DEFAULT_PAYMENT_MODES, FieldServiceBackend
from ._bulk import BulkDataSource, BulkInvoice, BulkRecords
from ._errors import (
    Conflict,
    FieldServiceError,
    InsufficientStock,
    InvalidRequest,
    NotFound,
    RuleViolation,
    UnknownPaymentMode,
)
from ._faults import FaultPlan, SimulatedAnswerLost, SimulatedTimeout
from ._http import ROUTES
from ._openapi import openapi_document, openapi_json
from ._route import IDEMPOTENCY_HEADER, SYNC_ORIGIN_HEADER

__all__ = [
    "DEFAULT_PAYMENT_MODES",
    "IDEMPOTENCY_HEADER",
    "ROUTES",
    "SYNC_ORIGIN_HEADER",
    "BulkDataSource",
    "BulkInvoice",
    "BulkRecords",
    "Conflict",
    "FaultPlan",
    "FieldServiceApp",
    "FieldServiceBackend",
    "FieldServiceError",
    "InsufficientStock",
    "InvalidRequest",
    "NotFound",
    "RuleViolation",
    "SimulatedAnswerLost",
    "SimulatedTimeout",
    "UnknownPaymentMode",
    "openapi_document",
    "openapi_json",
]
