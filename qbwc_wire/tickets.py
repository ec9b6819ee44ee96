"""How a session ticket is named where it must not be shown (a log line, a shared report)."""

from __future__ import annotations

import hashlib


def ticket_ref(ticket: str) -> str:
    """The first 12 hex digits of the ticket's SHA-256: the same session, the same ref."""
    return hashlib.sha256(ticket.encode("utf-8")).hexdigest()[:12] if ticket else ""
