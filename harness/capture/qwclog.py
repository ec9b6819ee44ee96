"""Read a QWCLog.txt: the Web Connector's own log, in its normal (DEBUG) or VERBOSE level.

The format, as public excerpts of real logs show it (tests/capture/logs/README.md lists
them): one entry per line, ``yyyyMMdd.HH:mm:ss ZONE<TAB>: Namespace.Class.method() :
message``; lines without a timestamp continue the entry above (stack traces, the
``HRESULT = ...`` / ``Message: ...`` pair of a failed request, and the qbXML that follows an
``XML dump follows: -`` entry). DEBUG keeps the first 50 characters of each qbXML message,
VERBOSE all of it (guide p.55). A session starts with ``Update session locked`` and ends with
``Update session unlocked``; ``instantiateWebService`` names the application (several
applications can share one file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from harness import xmlsafe
from harness.capture.observed import Observation, ObservedExchange, ObservedSession, Skipped
from harness.files import read_small_file

ENTRY = re.compile(
    r"^(?P<date>\d{8})\.(?P<time>\d{2}:\d{2}:\d{2})(?:[ \t]+(?P<zone>[A-Za-z][\w+-]*))?"
    r"[ \t]*:[ \t]?(?P<rest>.*)$"
)
SOURCE = re.compile(r"^(?P<source>[\w.]+\(\))[ \t]*:[ \t]?(?P<message>.*)$")
CALLING = re.compile(r"^\*\*\* Calling (?P<method>\w+)\(\)")
RECEIVED = re.compile(r"^Received from (?P<method>\w+)\(\) following parameters?:(?P<args>.*)$")
PARAMETER = re.compile(r'<(?P<name>[\w\[\]]+)="(?P<value>[^"]*)"?>?')
QBWC_CODE = re.compile(r"\b(?P<code>QBWC1\d{3})\b:?[ \t]*(?P<text>.*)$")
HRESULT = re.compile(r"^\s*HRESULT\s*=\s*(?P<value>0x[0-9A-Fa-f]+)", re.IGNORECASE)
#: The summary QBWC writes after any failed request; a more specific code wins over it.
SUMMARY_CODE = "QBWC1031"
#: How DEBUG marks a qbXML message it cut at 50 characters (guide p.55; public excerpt).
CUT_MARK = "......"


class LogError(ValueError):
    """A file that is not a Web Connector log at all."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.line = line


@dataclass
class Entry:
    line: int
    stamp: str  # ISO 8601, in the zone the log was written in
    source: str  # "QBWebConnector.SOAPWebService.do_authenticate()" or ""
    message: str
    more: list[tuple[int, str]] = field(default_factory=list)  # continuation lines

    @property
    def method(self) -> str:
        """``do_authenticate`` / ``ProcessRequestXML``: the last part of the source."""
        return self.source.removesuffix("()").rsplit(".", 1)[-1]


#: A verbose QWCLog.txt of a busy day is tens of megabytes; QBWC rolls its log over long
#: before this, so a larger "log" is not one (and a FIFO or /dev/zero is refused at once).
MAX_LOG_BYTES = 512 * 1024 * 1024


def read_log(path: Path) -> Observation:
    try:
        data = read_small_file(path, MAX_LOG_BYTES)
    except (OSError, ValueError) as exc:
        raise LogError(path, 1, f"cannot read the file: {exc}") from None
    return parse_log(_decode(path, data), path)


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise LogError(path, line, "binary data, not a Web Connector log (QWCLog.txt is text)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Web Connectors write the Windows code page.
        return data.decode("cp1252", errors="replace")


def parse_log(text: str, path: Path | str = "QWCLog.txt") -> Observation:
    entries, skipped = _entries(text, path)
    reader = _SessionReader(skipped)
    for entry in entries:
        reader.feed(entry)
    return Observation([s for s in reader.sessions if s.calls or s.code], skipped)


def _entries(text: str, path: Path | str) -> tuple[list[Entry], list[Skipped]]:
    entries: list[Entry] = []
    skipped: list[Skipped] = []
    leading: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        match = ENTRY.match(raw)
        if match is None:
            if entries:
                entries[-1].more.append((number, raw))
            elif raw.strip() and leading is None:
                leading = number
            continue
        stamp = _iso(match["date"], match["time"])
        if stamp is None:
            skipped.append(Skipped(number, f"a timestamp that is not a date: {raw[:40]!r}"))
            continue
        rest = match["rest"]
        source = SOURCE.match(rest)
        if source:
            entries.append(Entry(number, stamp, source["source"], source["message"]))
        else:
            entries.append(Entry(number, stamp, "", rest))
    if not entries:
        raise LogError(
            path,
            leading or 1,
            "not a Web Connector log: expected lines such as "
            "'20260105.09:00:01 UTC\t: QBWebConnector.SOAPWebService.do_serverVersion() : ...'",
        )
    if leading is not None:
        skipped.append(Skipped(leading, "text before the first timestamped line (a cut log?)"))
    return entries, skipped


def _iso(day: str, time: str) -> str | None:
    month, date = int(day[4:6]), int(day[6:8])
    hour, minute, second = (int(part) for part in time.split(":"))
    if not (1 <= month <= 12 and 1 <= date <= 31 and hour < 24 and minute < 60 and second < 62):
        return None
    return f"{day[:4]}-{day[4:6]}-{day[6:8]}T{time}"


class _SessionReader:
    def __init__(self, skipped: list[Skipped]) -> None:
        self.sessions: list[ObservedSession] = []
        self.skipped = skipped
        self.current: ObservedSession | None = None
        self.tickets: dict[str, str] = {}

    def session(self, entry: Entry) -> ObservedSession:
        if self.current is None:
            self.current = ObservedSession(line=entry.line, started=entry.stamp)
            self.sessions.append(self.current)
        return self.current

    def feed(self, entry: Entry) -> None:
        message = entry.message.strip()
        if "Update session locked" in message:
            self.current = None
            self.session(entry)
            return
        if "Update session unlocked" in message:
            self.current = None
            return
        if message.startswith("AppName:"):
            current = self.session(entry)
            if current.calls:  # no unlock line between two sessions (a cut log)
                self.current = None
                current = self.session(entry)
            current.app = message.removeprefix("AppName:").strip()
            return
        session = self.session(entry)
        self._code(session, entry, message)
        if calling := CALLING.match(message):
            self._call(session, calling["method"], _parameters(message))
        elif received := RECEIVED.match(message):
            self._answer(session, received["method"], _parameters(received["args"]), entry)
        elif "XML dump follows" in message:
            self._dump(session, entry)
        elif "Sending error message back to application" in message:
            self._hresult(session, entry)

    def _code(self, session: ObservedSession, entry: Entry, message: str) -> None:
        found = QBWC_CODE.search(message)
        if not found or (session.code and found["code"] == SUMMARY_CODE):
            return
        if session.code and session.code != SUMMARY_CODE:
            return
        detail = [found["text"].strip()] + [text.strip() for _, text in entry.more[:1]]
        session.code = found["code"]
        session.error = " ".join(part for part in detail if part)

    def _call(self, session: ObservedSession, method: str, args: dict[str, str]) -> None:
        session.calls.append(method)
        if method == "connectionError":
            session.connection_error = (args.get("hresult", ""), args.get("message", ""))
        elif method == "receiveResponseXML" and session.exchanges:
            exchange = session.exchanges[-1]
            hresult = args.get("hresult") or args.get("hResult") or ""
            if hresult and not exchange.hresult:
                exchange.hresult, exchange.message = hresult, args.get("message", "")

    def _answer(
        self, session: ObservedSession, method: str, args: dict[str, str], entry: Entry
    ) -> None:
        if method != "authenticate":
            return
        answer = [args[key] for key in sorted(args) if key.startswith("authRet[")]
        if answer:
            ticket = self.tickets.setdefault(answer[0], f"TICKET-{len(self.tickets) + 1}")
            session.auth = [ticket, *answer[1:]]
        else:
            self.skipped.append(Skipped(entry.line, "authenticate's answer without authRet"))

    def _dump(self, session: ObservedSession, entry: Entry) -> None:
        lines = [(n, text) for n, text in entry.more if text.strip()]
        failed = bool(lines) and lines[0][1].strip().startswith("Request that failed")
        if failed:
            lines = lines[1:]
        if not lines:
            self.skipped.append(Skipped(entry.line, "an XML dump with no XML after it"))
            return
        text = "\n".join(t for _, t in lines).strip()
        start = lines[0][0]
        whole = _whole_xml(text)
        if whole is None:
            cut = "cut at 50 characters (DEBUG log level; VERBOSE keeps it whole)"
            why = cut if CUT_MARK in text else "not well-formed XML (a cut or edited log?)"
            self.skipped.append(Skipped(start, f"the qbXML after line {entry.line} is {why}"))
        if entry.method == "do_receiveResponseXML":
            if session.exchanges and session.exchanges[-1].response is None:
                session.exchanges[-1].response = whole
            elif not session.exchanges:
                session.exchanges.append(ObservedExchange(None, whole, line=start))
            return
        if failed and session.exchanges and session.exchanges[-1].request in (None, whole):
            session.exchanges[-1].request = whole
            return
        session.exchanges.append(ObservedExchange(whole, line=start))

    def _hresult(self, session: ObservedSession, entry: Entry) -> None:
        if not session.exchanges:
            session.exchanges.append(ObservedExchange(None, line=entry.line))
        exchange = session.exchanges[-1]
        for _, text in entry.more:
            if found := HRESULT.match(text):
                exchange.hresult = found["value"]
            elif text.strip().startswith("Message:"):
                exchange.message = text.strip().removeprefix("Message:").strip()


def _parameters(text: str) -> dict[str, str]:
    """``<name="value">`` pairs, as the Web Connector logs a call's arguments and answers;
    a password is never kept (QBWC masks it; a log edited by hand may not)."""
    return {
        m["name"]: m["value"]
        for m in PARAMETER.finditer(text)
        if m["name"].lower() not in ("password", "strpassword")
    }


def _whole_xml(text: str) -> str | None:
    """The qbXML message when it is all there and well-formed, else None."""
    if CUT_MARK in text and not text.rstrip().endswith(">"):
        return None
    try:
        xmlsafe.parse(text.encode("utf-8"), what="a qbXML message in the log")
    except (etree.XMLSyntaxError, ValueError):
        return None
    return text
