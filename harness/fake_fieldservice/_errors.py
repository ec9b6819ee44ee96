"""The app's refusals: each carries a machine-readable code, a message and an HTTP status.

Like moto's exceptions module: the domain raises these, the HTTP layer renders them as
``{"error": {"code": ..., "message": ...}}``. 5xx never comes from here; only injected
faults answer 5xx (docs/design.md).
"""

from __future__ import annotations


class FieldServiceError(Exception):
    """A refused operation. Nothing was changed when one of these is raised."""

    code = "invalid_request"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def to_body(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


class InvalidRequest(FieldServiceError):
    """The request body or a parameter is malformed."""

    code = "invalid_request"
    status = 400


class NotFound(FieldServiceError):
    code = "not_found"
    status = 404


class Conflict(FieldServiceError):
    """A uniqueness rule or a repeated Idempotency-Key with a different body."""

    code = "conflict"
    status = 409


class RuleViolation(FieldServiceError):
    """A well-formed request that the app's business rules refuse (422)."""

    code = "rule_violation"
    status = 422


class UnknownPaymentMode(RuleViolation):
    # Zuper's first payment prerequisite: the mode must already exist in the app (seed 000).
    code = "unknown_payment_mode"


class InsufficientStock(RuleViolation):
    # Zuper refuses to go below zero unless "Allow Negative Stock Balance" is on (seed 001).
    code = "negative_stock_not_allowed"
