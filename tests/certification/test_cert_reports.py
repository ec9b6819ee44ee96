"""`qbwc-harness certify --qwc` over real HTTP against a service written from the guide:
the inconclusive reasons and the harness's readings reach every report."""

from __future__ import annotations

import json
from pathlib import Path

from cert_support import REPO
from click.testing import CliRunner
from services import allowed
from services.guided import PASSWORD

from harness.cli import cli
from harness.qwc_writer import render_qwc
from harness.serve import serve_on_loopback
from harness.world import BASE_QWC


def test_readings_and_inconclusive_reasons_reach_every_report(tmp_path: Path) -> None:
    class IdleElementContent(allowed.ElementContentStrings, allowed.NothingToDo):
        """Nothing to do, and string results as element content."""

    server = serve_on_loopback(IdleElementContent(), "/qbwc")
    try:
        qwc = tmp_path / "service.qwc"
        qwc.write_text(render_qwc({**BASE_QWC, "AppURL": server.url, "AppSupport": server.url}))
        out = {name: tmp_path / f"r.{name}" for name in ("json", "junit", "html", "markdown")}
        args = ["certify", "--qwc", str(qwc), str(REPO / "scenarios" / "protocol")]
        for name, path in out.items():
            args += [f"--{name}", str(path)]
        result = CliRunner().invoke(cli, args, env={"QBWC_HARNESS_PASSWORD": PASSWORD})
    finally:
        server.stop()
    assert result.exit_code == 1, result.output  # inconclusive is not certified
    assert "INCONCLUSIVE (nothing-to-do) wc-16-any-connector" in result.output
    # the same reading in every scenario is one warning naming the scenarios, not one each
    warned = [
        line
        for line in result.output.splitlines()
        if line.startswith("WARNING ") and "ReadElementString" in line
    ]
    assert len(warned) == 1, warned
    assert " more: a callback's result carried its value inside a <string>" in warned[0]
    rows = {row["id"]: row for row in json.loads(out["json"].read_text())}
    assert rows["wc-16-any-connector"]["cause"] == "nothing-to-do"
    assert any("ReadElementString" in w for w in rows["wc-15-forged-ticket"]["warnings"])
    junit = out["junit"].read_text()
    assert 'message="inconclusive (nothing-to-do): session 1: authenticate answered' in junit
    assert "<system-err>" in junit and "ReadElementString" in junit
    assert "reason (nothing-to-do)" in out["html"].read_text()
    assert "warning: a callback's result" in out["html"].read_text()
    markdown = out["markdown"].read_text()
    assert "- wc-16-any-connector: inconclusive (nothing-to-do)" in markdown
