"""JUnit XML: one testcase per scenario, its behaviors as properties, its QBWC log attached."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from harness.runner.results import ScenarioResult


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
            classname=str(result.path.parent).replace("/", "."),
            name=result.id,
            file=str(result.path),
            time=f"{result.duration:.3f}",
        )
        props = etree.SubElement(case, "properties")
        for behavior in result.behaviors:
            etree.SubElement(props, "property", name="behavior", value=behavior)
        etree.SubElement(props, "property", name="profile", value=result.profile)
        if result.status in ("failed", "error", "xpassed"):
            tag = "error" if result.status == "error" else "failure"
            text = result.failure.render(result.path) if result.failure else result.status
            message = result.failure.message if result.failure else result.status
            etree.SubElement(case, tag, message=message).text = text
        elif result.status in ("skipped", "xfailed", "not_claimed", "inconclusive"):
            status = f"{result.status} ({result.cause})" if result.cause else result.status
            etree.SubElement(case, "skipped", message=f"{status}: {result.reason or ''}")
        if result.qbwc_log:
            etree.SubElement(case, "system-out").text = result.qbwc_log
        if result.warnings:
            etree.SubElement(case, "system-err").text = "\n".join(result.warnings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        etree.tostring(suite, xml_declaration=True, encoding="utf-8", pretty_print=True)
    )
