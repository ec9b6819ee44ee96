"""The status page as a browser renders it: headless Chromium loads it from a real loopback
server (waitress) after two sessions of the simulated Web Connector, and the test reads the
DOM Chromium built. Skipped where Chromium is not installed (`.ci/run` installs Debian's
`chromium` when apt-get is usable)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import html as lxml_html
from status_support import HELD_REF, HELD_WHY, PASSWORD, USER, worked_connector

from harness.serve import serve_on_loopback
from qbwc_wire import ticket_ref

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it where "
    "apt-get is usable, and warns when it cannot)",
)


def _dump_dom(url: str, profile: Path) -> lxml_html.HtmlElement:
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # root in a container has no user namespace for the sandbox
            "--disable-gpu",
            f"--user-data-dir={profile}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return lxml_html.fromstring(done.stdout)


def test_chromium_renders_the_status_page_behind_the_credentials(tmp_path: Path) -> None:
    worked = worked_connector()
    server = serve_on_loopback(worked.wsgi)
    try:
        address = server.url.removeprefix("http://")
        # Credentials in the URL: Chromium answers the 401 challenge with them, for a
        # top-level navigation (it refuses them for subresources; the page has none).
        right = f"http://{quote(USER)}:{quote(PASSWORD)}@{address}/status"
        page = _dump_dom(right, tmp_path / "right")
        wrong = _dump_dom(f"http://{quote(USER)}:wrong@{address}/status", tmp_path / "wrong")
        anonymous = _dump_dom(f"http://{address}/status", tmp_path / "anonymous")
    finally:
        server.stop()

    assert page.findtext(".//title") == "Reference connector status"
    sessions = page.xpath('//section[@id="sessions"]//tr[td]/td[1]')
    assert [td.text_content() for td in sessions] == [
        ticket_ref(t) for t in reversed(worked.tickets)
    ]
    held = [
        [td.text_content() for td in row.xpath("td")]
        for row in page.xpath('//section[@id="held"]//tr[td]')
    ]
    assert held[0][1:2] == ["payment"] and held[0][5] == HELD_WHY
    assert held[1][:4] == ["payment", "QuickBooks only", HELD_REF, HELD_WHY]
    records = page.xpath('//section[@id="records"]')[0].text_content()
    assert "CustomerAddRq" in records and "Status OK" in records
    assert page.xpath('//section[@id="in-doubt"]/p')[0].text_content() == "None."
    rendered = lxml_html.tostring(page, encoding="unicode")
    assert PASSWORD not in rendered
    assert not any(ticket in rendered for ticket in worked.tickets)
    # Without the right credentials the browser is shown nothing of it.
    for refused in (wrong, anonymous):
        assert refused.xpath("//section") == []
        assert ticket_ref(worked.tickets[0]) not in lxml_html.tostring(refused, encoding="unicode")
