"""``replay CAPTURE --fidelity``: seed the fake company from a capture, hand it the recorded
qbXML requests in order, and report where its answers differ from QuickBooks' recorded ones
(status codes and messages, element presence and order, values). This is how real captures
tell us where the simulator is wrong.

Compared as they are: every attribute of a response (but ``iteratorID``, a fresh GUID per
query) and every element's text. Compared for presence only: EditSequence, TimeCreated and
TimeModified, which depend on the real company's clock. IDs compare through the mapping of
real IDs to the fake's (seeded objects, then each object an Add creates or a Mod changes). Values that the
seed itself is built from (a customer's name, an item's price) cannot disagree with it.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field

from lxml import etree

from harness import xmlsafe
from harness.capture.capture_file import Capture
from harness.capture.company import IdMap, map_ids, reveal, seed_fake
from harness.fake_qbd import QBDCompany
from harness.fake_qbd.errors import NotModeledError
from harness.webconnector.session import answer_into
from harness.webconnector.transcript import QbxmlExchange

CLOCK_FIELDS = {"EditSequence", "TimeCreated", "TimeModified"}
ID_FIELDS = {"ListID", "TxnID", "TxnLineID"}
VOLATILE_ATTRIBUTES = {"iteratorID"}


@dataclass(frozen=True)
class Difference:
    exchange: int  # 1-based, over the whole capture
    line: int  # the capture line of the sendRequestXML that carried the request
    where: str
    recorded: str
    fake: str

    def __str__(self) -> str:
        return (
            f"exchange {self.exchange} (capture line {self.line}) {self.where}: "
            f"recorded {self.recorded}, fake {self.fake}"
        )


@dataclass
class FidelityReport:
    exchanges: int = 0
    differences: list[Difference] = field(default_factory=list)
    #: exchanges not compared, with the reason (a request the fake does not model)
    inconclusive: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [str(d) for d in self.differences]
        lines += [f"inconclusive: {reason}" for reason in self.inconclusive]
        lines.append(
            f"{self.exchanges} qbXML exchange(s) replayed, {len(self.differences)} "
            f"difference(s), {len(self.inconclusive)} inconclusive"
        )
        return "\n".join(lines)


def replay_fidelity(capture: Capture) -> FidelityReport:
    exchanges = [e for s in capture.observation().sessions for e in s.exchanges if e.request]
    company = reveal([e.response or "" for e in exchanges], [])
    qbd, ids = seed_fake(company)
    report = FidelityReport()
    for number, recorded in enumerate(exchanges, start=1):
        report.exchanges += 1
        request = map_ids(recorded.request or "", ids)
        replayed = QbxmlExchange(number, "", request, "")
        try:
            answer_into(replayed, functools.partial(_modeled, qbd, request))
        except _Unmodeled as gap:  # a gap of the simulator, not a difference it shows
            report.inconclusive.append(f"exchange {number}: {gap}")
            continue
        diff = QbxmlDiff(number, recorded.line, ids)
        if recorded.hresult or replayed.hresult:
            diff.value("HRESULT", _shown(recorded.hresult), _shown(replayed.hresult))
        if recorded.response and replayed.response:
            diff.messages(recorded.response, replayed.response)
        elif bool(recorded.response) != bool(replayed.response):
            diff.value("response", _present(recorded.response), _present(replayed.response))
        report.differences += diff.found
    return report


class _Unmodeled(Exception):
    """Raised past ``answer_into`` (it has no ``hresult``), so the gap is not an answer."""


def _modeled(qbd: QBDCompany, request: str) -> str:
    try:
        return qbd.process(request)
    except NotModeledError as exc:
        raise _Unmodeled(exc.message) from None


def _shown(value: str) -> str:
    return repr(value) if value else "none"


def _present(value: str | None) -> str:
    return "present" if value else "missing"


class QbxmlDiff:
    """Differences between two qbXML messages, element by element. With ``ids`` (real ID ->
    the fake's), IDs compare through it and clock fields by presence (QuickBooks' answers
    against the fake's); without, every value compares as written (two requests)."""

    def __init__(
        self, exchange: int, line: int, ids: IdMap | None, ignored: frozenset[str] = frozenset()
    ) -> None:
        self.exchange, self.line, self.ids = exchange, line, ids
        self.ignored = VOLATILE_ATTRIBUTES | ignored
        self.found: list[Difference] = []

    def value(self, where: str, recorded: str, fake: str) -> None:
        self.found.append(Difference(self.exchange, self.line, where, recorded, fake))

    def messages(self, recorded: str, fake: str) -> None:
        try:
            left = xmlsafe.parse(recorded.encode("utf-8"), what="the recorded qbXML")
            right = xmlsafe.parse(fake.encode("utf-8"), what="the replayed qbXML")
        except (etree.XMLSyntaxError, ValueError) as exc:
            self.value("response", "unreadable", f"not compared ({exc})")
            return
        self.element(left, right, left.tag)

    def element(self, left: etree._Element, right: etree._Element, where: str) -> None:
        self._learn(left, right)
        for name in sorted({str(k) for k in left.attrib} | {str(k) for k in right.attrib}):
            if name not in self.ignored and left.get(name) != right.get(name):
                self.value(f"{where}@{name}", _quoted(left.get(name)), _quoted(right.get(name)))
        left_children = [c for c in left if isinstance(c.tag, str)]
        right_children = [c for c in right if isinstance(c.tag, str)]
        if not left_children and not right_children:
            self.text(left, right, where)
            return
        left_tags = [c.tag for c in left_children]
        right_tags = [c.tag for c in right_children]
        if sorted(left_tags) == sorted(right_tags) and left_tags != right_tags:
            self.value(f"{where}: element order", " ".join(left_tags), " ".join(right_tags))
            right_children = sorted(right_children, key=lambda c: left_tags.index(c.tag))
            right_tags = [c.tag for c in right_children]
        matcher = difflib.SequenceMatcher(a=left_tags, b=right_tags, autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                for i, j in zip(range(a0, a1), range(b0, b1), strict=True):
                    child_where = f"{where}/{left_tags[i]}{_index(left_tags, i)}"
                    self.element(left_children[i], right_children[j], child_where)
                continue
            for i in range(a0, a1):
                self.value(f"{where}/{left_tags[i]}", "present", "missing")
            for j in range(b0, b1):
                self.value(f"{where}/{right_tags[j]}", "missing", "present")

    def _learn(self, left: etree._Element, right: etree._Element) -> None:
        """An object's current ID and EditSequence on both sides (after an Add or a Mod),
        so the next request that names it is mapped as the real one was meant."""
        real_id = left.findtext("ListID") or left.findtext("TxnID")
        fake_id = right.findtext("ListID") or right.findtext("TxnID")
        real_seq, fake_seq = left.findtext("EditSequence"), right.findtext("EditSequence")
        if self.ids is None or not (real_id and fake_id and real_seq and fake_seq):
            return
        known = self.ids.get(real_id.strip())
        if known is None or known[0] == fake_id.strip():  # never pair two other objects
            self.ids[real_id.strip()] = (fake_id.strip(), real_seq.strip(), fake_seq.strip())

    def text(self, left: etree._Element, right: etree._Element, where: str) -> None:
        recorded, fake = (left.text or "").strip(), (right.text or "").strip()
        if self.ids is not None and left.tag in CLOCK_FIELDS:
            return
        if self.ids is not None and left.tag in ID_FIELDS:
            known = self.ids.get(recorded)
            if known is None:  # first sight: an object this exchange created
                self.ids[recorded] = (fake, "", "")
                return
            recorded_as_fake = known[0]
            if recorded_as_fake != fake:
                self.value(where, _quoted(recorded), _quoted(fake))
            return
        if recorded != fake:
            self.value(where, _quoted(recorded), _quoted(fake))


def _quoted(value: str | None) -> str:
    return "absent" if value is None else repr(value)


def _index(tags: list[str], i: int) -> str:
    """``[2]`` for the second of several siblings with that tag, '' for a single one."""
    if tags.count(tags[i]) == 1:
        return ""
    return f"[{tags[: i + 1].count(tags[i])}]"
