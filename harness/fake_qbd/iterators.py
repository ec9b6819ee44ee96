"""Query iterators: iterator="Start" / "Continue" / "Stop" with an iteratorID.

Only the queries whose schema declares the attributes have them (``ITERATOR_QUERIES``).
A Start fixes the matching objects; each page renders them as they are when the page is
asked for (deleted ones are skipped). The iteratorID is a braced lowercase GUID, as
QuickBooks writes it, made from a counter so runs are deterministic. QuickBooks forgets an
iterator whose next page is slow to come (about 10 s per Conductor's docs, unconfirmed):
``iterator_timeout_seconds`` on the simulated clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from harness.clock import SimClock
from harness.fake_qbd.errors import QBStatusError

_NAMESPACE = uuid.UUID("6f1c1d5e-7f0b-4c53-9d0e-2b4a1f3c9a11")


class InvalidIterator(QBStatusError):
    code = 3391

    def __init__(self, iterator_id: str) -> None:
        super().__init__(f'The iteratorID "{iterator_id}" is not valid.')


@dataclass
class IteratorState:
    request_name: str
    ids: list[str]
    position: int
    last_used: datetime


class IteratorStore:
    def __init__(self, clock: SimClock, seed: str, timeout_seconds: float) -> None:
        self._clock = clock
        self._seed = seed
        self._timeout = timeout_seconds
        self._counter = 0
        self._open: dict[str, IteratorState] = {}

    def start(self, request_name: str, ids: list[str], page: int) -> tuple[str, list[str], int]:
        self._counter += 1
        iterator_id = "{" + str(uuid.uuid5(_NAMESPACE, f"{self._seed}/{self._counter}")) + "}"
        state = IteratorState(request_name, ids, 0, self._clock.now())
        self._open[iterator_id] = state
        return (iterator_id, *self._page(iterator_id, state, page))

    def next(self, request_name: str, iterator_id: str, page: int) -> tuple[list[str], int]:
        state = self._open.get(iterator_id)
        if state is None or state.request_name != request_name:
            raise InvalidIterator(iterator_id)
        idle = (self._clock.now() - state.last_used).total_seconds()
        if idle > self._timeout:
            del self._open[iterator_id]
            raise InvalidIterator(iterator_id)
        state.last_used = self._clock.now()
        return self._page(iterator_id, state, page)

    def stop(self, request_name: str, iterator_id: str) -> None:
        state = self._open.pop(iterator_id, None)
        if state is None or state.request_name != request_name:
            raise InvalidIterator(iterator_id)

    def _page(self, iterator_id: str, state: IteratorState, page: int) -> tuple[list[str], int]:
        ids = state.ids[state.position : state.position + page]
        state.position += len(ids)
        remaining = len(state.ids) - state.position
        if remaining == 0:
            # A finished iterator is gone: one more Continue gets 3391.
            self._open.pop(iterator_id, None)
        return ids, remaining
