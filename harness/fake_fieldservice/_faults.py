"""Faults on demand, for scenario files: the next N requests to a path misbehave.

Kinds:
- ``error``: answer an HTTP 5xx (503 unless told) without applying anything.
- ``timeout``: apply nothing and raise :class:`SimulatedTimeout` (an ``httpx.ReadTimeout``),
  what a client sees when the app never answers.
- ``slow``: move the simulated clock forward by ``seconds``, then answer normally.
- ``lost``: apply the request, then raise :class:`SimulatedAnswerLost` (an
  ``httpx.RemoteProtocolError``): the change is made but the client never hears about it.

The two raised faults reach an in-process client (``httpx.WSGITransport``) as the httpx
exceptions a real network would give. Over a real socket the WSGI server turns them into a
500 answer instead, which is the closest a WSGI app can get to a dropped connection.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._errors import InvalidRequest

FAULT_KINDS = ("error", "timeout", "slow", "lost")


class SimulatedTimeout(httpx.ReadTimeout):
    """The app did not answer in time; nothing was applied."""


class SimulatedAnswerLost(httpx.RemoteProtocolError):
    """The app applied the request but the answer never arrived."""


@dataclass
class Fault:
    path: str
    kind: str
    times: int = 1
    method: str | None = None
    status: int = 503
    seconds: float = 30.0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return fnmatch.fnmatchcase(path, self.path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "times": self.times,
            "method": self.method,
            "status": self.status,
            "seconds": self.seconds,
            "fired": self.fired,
        }


@dataclass
class FaultPlan:
    """The faults waiting to fire, first match wins; each fires ``times`` times."""

    faults: list[Fault] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)

    def inject(
        self,
        path: str,
        kind: str = "error",
        *,
        times: int = 1,
        method: str | None = None,
        status: int = 503,
        seconds: float = 30.0,
    ) -> Fault:
        """``path`` is a glob over the request path, e.g. ``/api/v1/payments*``."""
        if kind not in FAULT_KINDS:
            raise InvalidRequest(f"fault kind must be one of {', '.join(FAULT_KINDS)}")
        if not isinstance(times, int) or times < 1:
            raise InvalidRequest("times must be a whole number of at least 1")
        if kind == "error" and not 500 <= status <= 599:
            raise InvalidRequest("an injected error answers a 5xx status")
        if seconds < 0:
            raise InvalidRequest("seconds may not be negative")
        fault = Fault(
            path=path, kind=kind, times=times, method=method, status=status, seconds=seconds
        )
        self.faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The fault this request triggers, if any; counts it as fired."""
        for fault in self.faults:
            if fault.fired < fault.times and fault.matches(method, path):
                fault.fired += 1
                self.log.append({"method": method, "path": path, "kind": fault.kind})
                return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.faults if f.fired < f.times]

    def clear(self) -> None:
        self.faults.clear()
