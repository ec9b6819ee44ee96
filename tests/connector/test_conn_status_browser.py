"""The status page as a browser renders it: two sessions of the simulated Web Connector
against the reference connector, then `connector serve` on the same store, and headless
Chromium loads the page from it; the test reads the DOM Chromium built. Skipped where
Chromium is not installed (`.ci/run` installs Debian's `chromium` when apt-get is usable).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import yaml
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
#: Every wait for a process is bounded by this many seconds.
TIMEOUT = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _connector_serve(config: Path, log: Path) -> Iterator[str]:
    """`connector serve` in its own process until the block ends; yields host:port."""
    port = _free_port()
    args = [sys.executable, "-m", "connector.cli", "serve", "--config", str(config)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*args, "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=os.environ
        )
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=TIMEOUT)


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
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    if not done.stdout.strip():
        # Chromium 156.0.8078.114 dumps nothing for a page answered 401 (156.0.8078.73
        # dumped its body): nothing of the page is shown either way.
        return lxml_html.fromstring("<html></html>")
    return lxml_html.fromstring(done.stdout)


def test_chromium_renders_the_status_page_of_connector_serve(tmp_path: Path) -> None:
    db = tmp_path / "connector.sqlite3"
    worked = worked_connector(str(db))
    worked.wsgi.sessions.store.close()
    app_server = serve_on_loopback(worked.app.wsgi)
    config = tmp_path / "connector.yaml"
    users = [{"username": USER, "password": PASSWORD}]
    config.write_text(
        yaml.safe_dump({"db_path": str(db), "app_base_url": app_server.url, "users": users})
    )
    try:
        with _connector_serve(config, tmp_path / "connector.log") as address:
            # Credentials in the URL: Chromium answers the 401 challenge with them, for a
            # top-level navigation (it refuses them for subresources; the page has none).
            right = f"http://{quote(USER)}:{quote(PASSWORD)}@{address}/status"
            page = _dump_dom(right, tmp_path / "right")
            wrong = _dump_dom(f"http://{quote(USER)}:wrong@{address}/status", tmp_path / "wrong")
            anonymous = _dump_dom(f"http://{address}/status", tmp_path / "anonymous")
    finally:
        app_server.stop()

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
    # Read from the app by the served connector: the QuickBooks-only payment, by its RefNumber.
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
