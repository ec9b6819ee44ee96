"""Durable connector state in SQLite: tickets, cursors, ID mappings, session plans, history.

Each Web Connector callback is one step and runs inside one transaction (``transaction()``),
so a crash mid-step leaves the previous consistent state. A file database uses WAL so a
restart of the connector loses nothing; ":memory:" is for tests.

All methods are called by the sync engine only; the SOAP layer never touches SQL.

Tickets are session secrets: the store keeps only ``ticket_key(ticket)`` (a SHA-256), in
every table, so the file, its WAL and its backups hold no ticket anyone could use. Methods
take the ticket as the Web Connector sends it; ``Ticket.ticket`` and ``Attempt.ticket`` are
keys, which every method also accepts (a key begins with a control character that no XML
text, hence no SOAP request, can carry). A file database is created readable by its owner
only (0600; SQLite gives its WAL and shared-memory files the same mode).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from connector.session_state import SessionState
from connector.work_queue import SCHEMA as PLAN_SCHEMA
from connector.work_queue import WorkQueue
from qbwc_wire import ticket_ref

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tickets (
    ticket TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    company_file TEXT NOT NULL,
    created_at TEXT NOT NULL,
    touched_at TEXT NOT NULL,
    closed_at TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS cursors (
    company TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (company, name)
);
CREATE TABLE IF NOT EXISTS mappings (
    company TEXT NOT NULL,
    entity TEXT NOT NULL,
    app_id TEXT NOT NULL,
    qb_id TEXT NOT NULL,
    edit_sequence TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (company, entity, app_id),
    UNIQUE (company, entity, qb_id)
);
CREATE TABLE IF NOT EXISTS in_doubt (
    company TEXT NOT NULL,
    entity TEXT NOT NULL,
    app_id TEXT NOT NULL,
    ticket TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (company, entity, app_id)
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company TEXT NOT NULL,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    at TEXT NOT NULL,
    ticket TEXT NOT NULL,
    request TEXT NOT NULL,
    outcome TEXT NOT NULL,
    status_code INTEGER,
    status_message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS open_tickets_by_company
    ON tickets (lower(company_file)) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS tickets_by_creation ON tickets (created_at);
CREATE INDEX IF NOT EXISTS attempts_by_record ON attempts (company, entity, record_id, id);
"""


#: Starts every ticket key: U+0001 is not allowed in XML 1.0 text, raw or as a character
#: reference, so a key read from the file cannot be sent back as a ticket.
_KEY_PREFIX = "\x01sha256:"


def ticket_key(ticket: str) -> str:
    """What the store keeps for ``ticket`` ("" stays "", a key stays itself)."""
    if not ticket or ticket.startswith(_KEY_PREFIX):
        return ticket
    return _KEY_PREFIX + hashlib.sha256(ticket.encode("utf-8")).hexdigest()


def company_key(company_file: str) -> str:
    """How the store names a company file: Windows paths are case-insensitive, so one
    company file has one key."""
    return company_file.strip().lower()


def stored_ticket_ref(ticket: str) -> str:
    """``qbwc_wire.ticket_ref`` of the ticket behind a key (or of a ticket): how the status
    page names a session, the same short digest the log shows."""
    if ticket.startswith(_KEY_PREFIX):
        return ticket[len(_KEY_PREFIX) :][:12]
    return ticket_ref(ticket)


#: Tables with a ticket column (old files kept tickets in clear: ``_hash_clear_tickets``).
_TICKET_TABLES = ("tickets", "plan_items", "in_doubt", "attempts")


def _create_private(db_path: str) -> None:
    """Create the database file 0600 before SQLite opens it (SQLite would use 0644)."""
    if db_path in ("", ":memory:") or db_path.startswith("file:") or os.path.exists(db_path):
        return
    os.close(os.open(db_path, os.O_CREAT | os.O_WRONLY, 0o600))


@dataclass(frozen=True)
class Ticket:
    ticket: str
    username: str
    company_file: str
    created_at: str
    touched_at: str
    closed_at: str | None
    last_error: str
    #: The session state as stored (JSON); read through ``state``.
    state_json: str = field(repr=False)

    @cached_property
    def state(self) -> SessionState:
        """The session state, parsed on first use: most callers only need the columns."""
        state: SessionState = json.loads(self.state_json)
        return state

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


#: The columns of ``Ticket``, in order.
_SELECT_TICKET = (
    "SELECT ticket, username, company_file, created_at, touched_at, closed_at, last_error, "
    "state FROM tickets "
)


@dataclass(frozen=True)
class Mapping:
    entity: str
    app_id: str
    qb_id: str
    edit_sequence: str


@dataclass(frozen=True)
class InDoubt:
    """An Add handed to QuickBooks whose answer never came (``mark_in_doubt``)."""

    company: str
    entity: str
    app_id: str
    #: The key of the session it was handed to.
    ticket: str
    sent_at: str


@dataclass(frozen=True)
class Attempt:
    entity: str
    record_id: str
    at: str
    ticket: str
    request: str
    outcome: str
    status_code: int | None
    status_message: str


@dataclass(frozen=True)
class RecordHistory:
    """One record's latest attempts (oldest first) and how many it has in all."""

    company: str
    entity: str
    record_id: str
    attempts: list[Attempt]
    total: int


class Store:
    """The connector's storage interface over one SQLite connection."""

    def __init__(self, db_path: str = ":memory:") -> None:
        self._lock = threading.RLock()
        self._path, self._closed = db_path, False
        _create_private(db_path)
        # One connection shared by waitress' threads, serialized by the lock: a QBWC session
        # is strictly sequential, so there is no throughput to win from more.
        self._db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if db_path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL with WAL: a committed step survives a crash of the process (the WAL is
            # written before commit returns); only a power loss can lose the last commits.
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA + PLAN_SCHEMA)
        self._depth = 0
        self._hash_clear_tickets()
        self._move_queues_out_of_state()

    def _hash_clear_tickets(self) -> None:
        """Tickets a file written before keys were stored holds in clear become keys, and the
        WAL that held them is emptied into the file (``secure_delete`` zeroes the old text)."""
        self._db.create_function("ticket_key", 1, ticket_key, deterministic=True)
        clear = "ticket != '' AND substr(ticket, 1, 1) != char(1)"
        with self.transaction():
            found = self._db.execute(f"SELECT count(*) FROM tickets WHERE {clear}").fetchone()[0]
            if not found:
                return
            self._db.execute("PRAGMA secure_delete = ON")
            for table in _TICKET_TABLES:
                self._db.execute(f"UPDATE {table} SET ticket = ticket_key(ticket) WHERE {clear}")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _move_queues_out_of_state(self) -> None:
        """Open sessions of a database written before plans had their own table keep their
        work items in the state JSON ("queue"): move them to ``plan_items``."""
        with self.transaction():
            rows = self._db.execute(
                "SELECT ticket, state FROM tickets "
                "WHERE closed_at IS NULL AND state LIKE '%\"queue\"%'"
            ).fetchall()
            for ticket, text in rows:
                state = json.loads(text)
                if not isinstance(state.get("queue"), list):
                    continue
                self.work_queue(ticket).replace(state.pop("queue"))
                self._db.execute(
                    "UPDATE tickets SET state = ? WHERE ticket = ?",
                    (json.dumps(state, sort_keys=True), ticket),
                )

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._closed = True

    def ping(self) -> None:
        """Raise unless the database answers, without waiting for a step in progress (a step
        holds the lock across the app's HTTP calls; /health must not wait for them): a
        connection of its own, which WAL lets read while the step writes."""
        if self._closed:
            raise sqlite3.ProgrammingError("the store is closed")
        if self._path == ":memory:":  # one connection only: a test's store
            self.get_ticket("")
            return
        with self._reader() as db:
            db.execute("SELECT 1 FROM tickets LIMIT 1").fetchall()

    def committed_ticket(self, ticket: str) -> Ticket | None:
        """The ticket as last committed, read like ``ping`` (a step of another session in
        progress, perhaps waiting for the app, does not delay it). Not for a step's own
        reads, which must see its transaction's writes: ``get_ticket``."""
        if self._path == ":memory:":
            return self.get_ticket(ticket)
        with self._reader() as db:
            row = db.execute(_SELECT_TICKET + "WHERE ticket = ?", (ticket_key(ticket),)).fetchone()
        return None if row is None else Ticket(*row)

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        """A connection of its own, which WAL lets read while a step writes."""
        if self._closed:
            raise sqlite3.ProgrammingError("the store is closed")
        db = sqlite3.connect(self._path, timeout=5)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing around one step; nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    # -- tickets -------------------------------------------------------------------------

    def open_ticket(self, ticket: str, username: str, company_file: str, created_at: str) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO tickets (ticket, username, company_file, created_at, touched_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (ticket_key(ticket), username, company_file, created_at, created_at),
            )

    def get_ticket(self, ticket: str) -> Ticket | None:
        with self._lock:
            row = self._db.execute(
                _SELECT_TICKET + "WHERE ticket = ?", (ticket_key(ticket),)
            ).fetchone()
        return None if row is None else Ticket(*row)

    def open_tickets(self, company_file: str) -> list[Ticket]:
        with self._lock:
            rows = self._db.execute(
                _SELECT_TICKET + "WHERE closed_at IS NULL AND lower(company_file) = ? "
                "ORDER BY rowid",
                (company_file.lower(),),
            ).fetchall()
        return [Ticket(*row) for row in rows]

    def recent_tickets(self, limit: int, company: str = "") -> list[Ticket]:
        """The ``limit`` newest sessions, newest first; only those on ``company`` (a
        ``company_key``) when given."""
        found: list[Ticket] = []
        with self._lock:
            newest = self._db.execute(_SELECT_TICKET + "ORDER BY created_at DESC, rowid DESC")
            for row in newest:
                ticket = Ticket(*row)
                if not company or company_key(ticket.company_file) == company:
                    found.append(ticket)
                    if len(found) == limit:
                        break
            newest.close()
        return found

    def company_file_of(self, ticket: str) -> str:
        """The ticket's company file ("" for an unknown ticket or one not bound yet)."""
        with self._lock:
            row = self._db.execute(
                "SELECT company_file FROM tickets WHERE ticket = ?", (ticket_key(ticket),)
            ).fetchone()
        return "" if row is None else str(row[0])

    def work_queue(self, ticket: str) -> WorkQueue:
        """The session's remaining work items (``connector.work_queue``)."""
        return WorkQueue(self._db, self.transaction, ticket_key(ticket))

    def save_state(self, ticket: str, state: SessionState, touched_at: str = "") -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE tickets SET state = ?, touched_at = coalesce(nullif(?, ''), touched_at) "
                "WHERE ticket = ?",
                (json.dumps(state, sort_keys=True), touched_at, ticket_key(ticket)),
            )

    def set_company_file(self, ticket: str, company_file: str) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE tickets SET company_file = ? WHERE ticket = ?",
                (company_file, ticket_key(ticket)),
            )

    def last_company_file(self) -> str:
        """The company file of the latest session that reached one ("" when none did)."""
        with self._lock:
            row = self._db.execute(
                "SELECT company_file FROM tickets WHERE company_file != '' "
                "ORDER BY created_at DESC, rowid DESC LIMIT 1"
            ).fetchone()
        return "" if row is None else str(row["company_file"])

    def set_last_error(self, ticket: str, message: str) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE tickets SET last_error = ? WHERE ticket = ?",
                (message, ticket_key(ticket)),
            )

    def close_ticket(self, ticket: str, closed_at: str) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE tickets SET closed_at = ? WHERE ticket = ? AND closed_at IS NULL",
                (closed_at, ticket_key(ticket)),
            )

    def holds_company(self, company: str) -> bool:
        """Whether anything is kept for ``company``: a cursor, a mapping, an Add in doubt
        or an attempt (what a session's plan reads of the store is all per company)."""
        with self._lock:
            row = self._db.execute(
                "SELECT EXISTS (SELECT 1 FROM cursors WHERE company = :c)"
                " OR EXISTS (SELECT 1 FROM mappings WHERE company = :c)"
                " OR EXISTS (SELECT 1 FROM in_doubt WHERE company = :c)"
                " OR EXISTS (SELECT 1 FROM attempts WHERE company = :c)",
                {"c": company},
            ).fetchone()
        return bool(row[0])

    # -- cursors -------------------------------------------------------------------------

    def get_cursor(self, company: str, name: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM cursors WHERE company = ? AND name = ?", (company, name)
            ).fetchone()
        return None if row is None else str(row["value"])

    def set_cursor(self, company: str, name: str, value: str) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO cursors (company, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (company, name) DO UPDATE SET value = excluded.value",
                (company, name, value),
            )

    # -- mappings ------------------------------------------------------------------------

    def put_mapping(
        self, company: str, entity: str, app_id: str, qb_id: str, edit_sequence: str = ""
    ) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO mappings (company, entity, app_id, qb_id, edit_sequence) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (company, entity, app_id) DO UPDATE SET "
                "qb_id = excluded.qb_id, edit_sequence = excluded.edit_sequence",
                (company, entity, app_id, qb_id, edit_sequence),
            )

    def delete_mapping(self, company: str, entity: str, app_id: str) -> None:
        with self.transaction():
            self._db.execute(
                "DELETE FROM mappings WHERE company = ? AND entity = ? AND app_id = ?",
                (company, entity, app_id),
            )

    def mapping_by_app_id(self, company: str, entity: str, app_id: str) -> Mapping | None:
        return self._mapping("app_id", company, entity, app_id)

    def mapping_by_qb_id(self, company: str, entity: str, qb_id: str) -> Mapping | None:
        return self._mapping("qb_id", company, entity, qb_id)

    def _mapping(self, column: str, company: str, entity: str, value: str) -> Mapping | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT * FROM mappings WHERE company = ? AND entity = ? AND {column} = ?",
                (company, entity, value),
            ).fetchone()
        if row is None:
            return None
        return Mapping(row["entity"], row["app_id"], row["qb_id"], row["edit_sequence"])

    def mappings(self, company: str, entity: str) -> list[Mapping]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM mappings WHERE company = ? AND entity = ? ORDER BY app_id",
                (company, entity),
            ).fetchall()
        return [Mapping(r["entity"], r["app_id"], r["qb_id"], r["edit_sequence"]) for r in rows]

    # -- writes whose outcome is unknown ---------------------------------------------------

    def mark_in_doubt(self, company: str, entity: str, app_id: str, ticket: str, at: str) -> None:
        """An Add was handed to QuickBooks; until its answer arrives, it may or may not exist."""
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO in_doubt (company, entity, app_id, ticket, sent_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (company, entity, app_id, ticket_key(ticket), at),
            )

    def clear_in_doubt(self, company: str, entity: str, app_id: str) -> None:
        with self.transaction():
            self._db.execute(
                "DELETE FROM in_doubt WHERE company = ? AND entity = ? AND app_id = ?",
                (company, entity, app_id),
            )

    def in_doubt_since(self, company: str, entity: str, app_id: str) -> tuple[str, str] | None:
        """The ticket and time of the session an unanswered Add of this record was handed
        to (None when no Add of it is in doubt)."""
        with self._lock:
            row = self._db.execute(
                "SELECT ticket, sent_at FROM in_doubt "
                "WHERE company = ? AND entity = ? AND app_id = ?",
                (company, entity, app_id),
            ).fetchone()
        return None if row is None else (str(row["ticket"]), str(row["sent_at"]))

    def in_doubt_ids(self, company: str, entity: str) -> list[str]:
        """The app IDs of this kind's records whose Add is in doubt (few: lost answers)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT app_id FROM in_doubt WHERE company = ? AND entity = ? ORDER BY app_id",
                (company, entity),
            ).fetchall()
        return [str(row["app_id"]) for row in rows]

    def in_doubt_writes(self, company: str = "") -> list[InDoubt]:
        """Every write in doubt (of one company when given), oldest first."""
        where, args = ("WHERE company = ? ", (company,)) if company else ("", ())
        with self._lock:
            rows = self._db.execute(
                "SELECT company, entity, app_id, ticket, sent_at FROM in_doubt "
                + where
                + "ORDER BY sent_at, company, entity, app_id",
                args,
            ).fetchall()
        return [InDoubt(*row) for row in rows]

    def is_in_doubt(self, company: str, entity: str, app_id: str, *, besides_ticket: str) -> bool:
        """True when an earlier session sent an Add for this record and never heard back."""
        with self._lock:
            row = self._db.execute(
                "SELECT ticket FROM in_doubt WHERE company = ? AND entity = ? AND app_id = ?",
                (company, entity, app_id),
            ).fetchone()
        return row is not None and row["ticket"] != ticket_key(besides_ticket)

    # -- sync attempt history ------------------------------------------------------------

    def record_attempt(self, company: str, attempt: Attempt) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO attempts (company, entity, record_id, at, ticket, request, outcome, "
                "status_code, status_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    company,
                    attempt.entity,
                    attempt.record_id,
                    attempt.at,
                    ticket_key(attempt.ticket),
                    attempt.request,
                    attempt.outcome,
                    attempt.status_code,
                    attempt.status_message,
                ),
            )

    def has_attempt(self, company: str, entity: str, record_id: str, outcome: str) -> bool:
        """Whether the record's history holds an attempt with ``outcome`` (an index lookup,
        whatever the length of the history)."""
        with self._lock:
            row = self._db.execute(
                "SELECT EXISTS (SELECT 1 FROM attempts WHERE company = ? AND entity = ? "
                "AND record_id = ? AND outcome = ?)",
                (company, entity, record_id, outcome),
            ).fetchone()
        return bool(row[0])

    def attempts(self, company: str, entity: str, record_id: str) -> list[Attempt]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM attempts WHERE company = ? AND entity = ? AND record_id = ? "
                "ORDER BY id",
                (company, entity, record_id),
            ).fetchall()
        return [_attempt(r) for r in rows]

    def attempts_on_qb_record(self, entity: str, qb_id: str) -> list[Attempt]:
        """Every attempt on the QuickBooks record ``qb_id`` of ``entity``, in order: those
        keyed by it (a pull) and those keyed by the app record mapped to it (a push), in
        every company. By entity too: a ListID is unique in its list and a TxnID among
        transactions, but a ListID can equal a TxnID (both count from 80000001 with the
        creation time: QBWC-FACTS.md "qbXML")."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM attempts a WHERE a.entity = ? AND (a.record_id = ? OR EXISTS "
                "(SELECT 1 FROM mappings m WHERE m.company = a.company AND m.entity = "
                "a.entity AND m.app_id = a.record_id AND m.qb_id = ?)) ORDER BY a.id",
                (entity, qb_id, qb_id),
            ).fetchall()
        return [_attempt(r) for r in rows]

    def recent_histories(
        self, records: int, attempts: int, company: str = ""
    ) -> list[RecordHistory]:
        """The ``records`` records attempted last (the latest first), each with its
        ``attempts`` latest attempts. Reads the history from its newest end and stops at
        the ``records``-th record, so the cost follows what is shown, not the table."""
        where, args = ("WHERE company = ? ", (company,)) if company else ("", ())
        found: list[tuple[str, str, str]] = []
        with self._lock:
            newest = self._db.execute(
                "SELECT company, entity, record_id FROM attempts " + where + "ORDER BY id DESC",
                args,
            )
            for row in newest:
                key = (row[0], row[1], row[2])
                if key not in found:
                    found.append(key)
                    if len(found) == records:
                        break
            newest.close()
            histories = []
            for key in found:
                rows = self._db.execute(
                    "SELECT * FROM attempts WHERE company = ? AND entity = ? AND record_id = ? "
                    "ORDER BY id DESC LIMIT ?",
                    (*key, attempts),
                ).fetchall()
                total = self._db.execute(
                    "SELECT count(*) FROM attempts "
                    "WHERE company = ? AND entity = ? AND record_id = ?",
                    key,
                ).fetchone()[0]
                histories.append(
                    RecordHistory(*key, [_attempt(r) for r in reversed(rows)], int(total))
                )
        return histories


def _attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(
        row["entity"],
        row["record_id"],
        row["at"],
        row["ticket"],
        row["request"],
        row["outcome"],
        row["status_code"],
        row["status_message"],
    )
