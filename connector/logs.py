"""Log output for ``connector serve``: plain text or one JSON object per line.

The connector never puts a password or a full ticket into a log record (tickets are
session secrets). Passwords are redacted by meaning, not by where they stand: while an
``authenticate`` call is handled, the values its request carries as user name and password
are secrets of the call (``request_context(secrets=...)``), and every record, its
traceback included, has each of them replaced wherever it appears (a password typed into
the user-name field, or quoted by spyne's validation error, is still found). Records carry the event text and, as fields, plain facts; while a SOAP
call is handled (``request_context``) every record also carries the web method, the
company file and ``ticket_ref``, a short digest that tells sessions apart in the log
without being usable as the ticket.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import IO

from qbwc_wire import ticket_ref

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

_CONTEXT: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "connector_log_context", default=None
)
_SECRETS: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "connector_log_secrets", default=()
)
#: Shorter values are not replaced (a one-letter "password" would blank every such
#: letter); the settings refuse no password for that, so this is a log-readability choice.
MIN_SECRET_CHARS = 4
REDACTED = "REDACTED"


@contextmanager
def request_context(
    *, method: str, ticket: str, company: str, secrets: tuple[str, ...] = ()
) -> Iterator[None]:
    """Fields every record gets while one SOAP call is handled (this thread only), and the
    call's secrets, which no record shows."""
    fields = {"method": method, "ticket_ref": ticket_ref(ticket), "company": company}
    token = _CONTEXT.set({k: v for k, v in fields.items() if v})
    secrets_token = _SECRETS.set(_spellings(secrets))
    try:
        yield
    finally:
        _SECRETS.reset(secrets_token)
        _CONTEXT.reset(token)


def _spellings(secrets: tuple[str, ...]) -> tuple[str, ...]:
    """Each secret as written, XML-escaped (spyne's dumps) and repr-escaped (messages and
    tracebacks quote it so), longest first so that no shorter one cuts a longer one."""
    forms = set()
    for secret in secrets:
        if len(secret.strip()) < MIN_SECRET_CHARS:
            continue
        escaped = secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        forms.update({secret, escaped, repr(secret)[1:-1]})
    return tuple(sorted(forms, key=len, reverse=True))


class ContextFilter(logging.Filter):
    """Adds the ``request_context`` fields to each record (without overriding extras)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (_CONTEXT.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


#: authenticate's password element, whatever its prefix (spyne's own DEBUG output dumps
#: whole request documents when its ``spyne.protocol.xml`` logger is set to DEBUG).
_PASSWORD_ELEMENT = re.compile(
    r"(<(?:[\w.-]+:)?strPassword\b[^>]*>)(.*?)(</(?:[\w.-]+:)?strPassword\s*>)", re.DOTALL
)


def redact(text: str) -> str:
    """``text`` with the content of every strPassword element, and every secret of the
    current call, replaced by REDACTED."""
    text = _PASSWORD_ELEMENT.sub(rf"\1{REDACTED}\3", text)
    for secret in _SECRETS.get():
        text = text.replace(secret, REDACTED)
    return text


class RedactFilter(logging.Filter):
    """Removes passwords from a record's message and traceback, whichever library wrote
    them (the traceback is formatted here, so that formatters print the redacted text)."""

    _format = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._format.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_text:  # formatted (and redacted) by RedactFilter
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, sort_keys=True)


class TextFormatter(logging.Formatter):
    """``time level logger message`` and then the context fields as ``key=value``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = [
            f"{key}={getattr(record, key)}"
            for key in ("method", "company", "ticket_ref")
            if getattr(record, key, "")
        ]
        return " ".join([line, *fields])


def make_handler(fmt: str = "text", stream: IO[str] | None = None) -> logging.Handler:
    """A handler with the connector's formatter, its context fields and password redaction."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RedactFilter())
    handler.addFilter(ContextFilter())
    return handler


def configure(fmt: str = "text", level: int = logging.INFO) -> None:
    root = logging.getLogger()
    root.handlers[:] = [make_handler(fmt)]
    root.setLevel(level)
