"""A vendor's session tickets kept out of reports.

A certified service's tickets are its live session secrets (a report is shared; a ticket
that has not expired is a way into a session). Each one found in a result's transcripts
(the transcript's ``ticket`` and authenticate's first member) is replaced, wherever it
appears (arguments, raw envelopes, the QWCLog text), by a short digest that still tells
sessions apart. The reference connector's tickets are the simulation's own and stay.
"""

from __future__ import annotations

from typing import Any

from qbwc_wire import ticket_ref


def vendor_tickets(transcripts: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for transcript in transcripts:
        found.add(transcript.get("ticket") or "")
        for event in transcript.get("events", []):
            result = event.get("result")
            if event.get("method") == "authenticate" and isinstance(result, list) and result:
                found.add(result[0] or "")
    return {ticket for ticket in found if isinstance(ticket, str) and ticket.strip()}


def hide_tickets(value: Any, tickets: set[str]) -> Any:
    """``value`` (JSON-like data or text) with every ticket replaced by its ref."""
    if isinstance(value, str):
        for ticket in sorted(tickets, key=len, reverse=True):
            value = value.replace(ticket, f"[ticket {ticket_ref(ticket)}]")
        return value
    if isinstance(value, list):
        return [hide_tickets(item, tickets) for item in value]
    if isinstance(value, dict):
        return {key: hide_tickets(item, tickets) for key, item in value.items()}
    return value
