"""What a log or a capture shows of the Web Connector's sessions, whatever it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ObservedExchange:
    """One qbXML message set: what the connector sent and what QuickBooks answered.

    ``response`` is None when the source did not hold it whole (a DEBUG-level log keeps
    only the first 50 characters, guide p.55); ``hresult`` is set when QuickBooks failed
    the message set as a whole (then there is no response)."""

    request: str | None
    response: str | None = None
    hresult: str = ""
    message: str = ""
    line: int = 0  # where it starts in the source (a log line, or a capture record)


@dataclass
class ObservedSession:
    app: str = ""
    line: int = 0
    started: str = ""  # ISO time of the first entry, as the source wrote it
    calls: list[str] = field(default_factory=list)  # web methods, in order
    auth: list[str] = field(default_factory=list)  # authenticate's answer (ticket masked)
    exchanges: list[ObservedExchange] = field(default_factory=list)
    connection_error: tuple[str, str] | None = None  # (hresult, message) of connectionError
    code: str = ""  # the QBWC10xx code the session ended with
    error: str = ""  # the text shown with it

    @property
    def auth_status(self) -> str:
        """authenticate's second element, lower case: nvu, none, busy, or '' (a file)."""
        return self.auth[1].strip().lower() if len(self.auth) > 1 else ""


@dataclass(frozen=True)
class Skipped:
    """A part of the source that carried data but could not be read."""

    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


@dataclass
class Observation:
    sessions: list[ObservedSession]
    skipped: list[Skipped] = field(default_factory=list)

    def apps(self) -> list[str]:
        return list(dict.fromkeys(s.app for s in self.sessions))
