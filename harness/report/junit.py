"""JUnit XML: one testcase per scenario, its behaviors as properties, its QBWC log attached."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from harness.runner.results import ScenarioResult

#: Characters XML 1.0 cannot carry (section 2.2), which lxml refuses: a vendor's HTTP reason
#: phrase or Content-Type quoted in a failure may hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    """``text`` with each character XML cannot carry written as ``\\xNN`` or ``\\uNNNN``
    (visible, and the report is written whatever the vendor sent)."""
    return _NOT_XML.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def write_junit(
    results: list[ScenarioResult], path: Path, suite_name: str = "qbwc-harness"
) -> None:
    suite = etree.Element(
        "testsuite",
        name=suite_name,
        tests=str(len(results)),
        failures=str(sum(r.status in ("failed", "xpassed") for r in results)),
        errors=str(sum(r.status == "error" for r in results)),
        skipped=str(
            sum(r.status in ("skipped", "xfailed", "not_claimed", "inconclusive") for r in results)
        ),
        time=f"{sum(r.duration for r in results):.3f}",
    )
    for result in results:
        case = etree.SubElement(
            suite,
            "testcase",
            classname=_xml(str(result.path.parent).replace("/", ".")),
            name=_xml(result.id),
            file=_xml(str(result.path)),
            time=f"{result.duration:.3f}",
        )
        props = etree.SubElement(case, "properties")
        for behavior in result.behaviors:
            etree.SubElement(props, "property", name="behavior", value=_xml(behavior))
        etree.SubElement(props, "property", name="profile", value=_xml(result.profile))
        if result.status in ("failed", "error", "xpassed"):
            tag = "error" if result.status == "error" else "failure"
            text = result.failure.render(result.path) if result.failure else result.status
            message = result.failure.message if result.failure else result.status
            etree.SubElement(case, tag, message=_xml(message)).text = _xml(text)
        elif result.status in ("skipped", "xfailed", "not_claimed", "inconclusive"):
            status = f"{result.status} ({result.cause})" if result.cause else result.status
            etree.SubElement(case, "skipped", message=_xml(f"{status}: {result.reason or ''}"))
        if result.qbwc_log:
            etree.SubElement(case, "system-out").text = _xml(result.qbwc_log)
        if result.warnings:
            etree.SubElement(case, "system-err").text = _xml("\n".join(result.warnings))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        etree.tostring(suite, xml_declaration=True, encoding="utf-8", pretty_print=True)
    )
