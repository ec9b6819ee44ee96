"""The HTML report opened in a real headless browser (Chromium from Debian's packages):
it renders, shows the verdicts by behavior, and the failure's diff and transcript are there.
Skips, saying why, where no Chromium is installed."""

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.report.html import write_html
from harness.runner.run import run_scenario
from harness.scenario import default_registry, load_scenario

REPO = Path(__file__).resolve().parents[2]
PAY_02 = REPO / "scenarios" / "payments" / "pay-02-full-payment.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"
)


def _render(html: Path, profile: Path) -> str:
    """The DOM after the page loaded, as Chromium built it."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--dump-dom",
        html.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_report_renders_in_chromium(tmp_path):
    passing = run_scenario(load_scenario(PAY_02, default_registry()))
    broken_path = tmp_path / "broken.yaml"
    broken_path.write_text(
        PAY_02.read_text()
        .replace("id: pay-02-full-payment", "id: broken-expectation")
        .replace("status: paid", "status: void")
    )
    failing = run_scenario(load_scenario(broken_path, default_registry()))
    report = tmp_path / "report.html"
    write_html([passing, failing], report)

    dom = _render(report, tmp_path / "chromium-profile")

    assert "<table" in dom and 'id="behaviors"' in dom
    assert "PAY-02" in dom and "failed" in dom
    assert "app.invoices[1001].status: expected 'void', got 'paid'" in dom.replace("&#39;", "'")
    assert "ReceivePaymentQueryRq" in dom  # the qbXML transcript, escaped, not markup
    assert "harness-secret" not in dom
