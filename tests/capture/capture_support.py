"""Helpers of the capture tests: the fixture logs, and running a scenario text."""

import importlib.util
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from harness.capture.proxy import CaptureWriter, RecordingProxy
from harness.runner.results import ScenarioResult
from harness.runner.run import run_scenario
from harness.scenario import default_registry, load_scenario
from harness.serve import serve_on_loopback
from harness.webconnector import WebConnector
from harness.webconnector.transport import HttpTransport
from harness.world import World

LOGS = Path(__file__).parent / "logs"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def vendor_module() -> ModuleType:
    """docs/examples/vendor_qbwc.py, a QBWC service that is not ours (a fresh module)."""
    spec = importlib.util.spec_from_file_location(
        "vendor_qbwc_capture", EXAMPLES / "vendor_qbwc.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_text(tmp_path: Path, text: str, name: str = "imported.yaml") -> ScenarioResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run_scenario(load_scenario(path, default_registry()))


@contextmanager
def proxied_web_connector(
    world: World, capture: Path, errors: io.StringIO | None = None
) -> Iterator[WebConnector]:
    """The world's default Web Connector reaching its reference connector on loopback through
    the recording proxy (writing ``capture``); the proxy, its server and the world are
    closed afterwards."""
    writer = CaptureWriter(capture, world.connector.url, errors or io.StringIO())
    proxy = RecordingProxy(world.connector.url, writer)
    server = serve_on_loopback(proxy)
    station = world.stations["default"]
    assert station.web_connector is not None
    try:
        yield WebConnector(
            qwc=station.web_connector.qwc,
            password=world.connector.password,
            quickbooks=world.qbd,
            transport=HttpTransport(),
            clock=world.clock,
            url=server.url,
        )
    finally:
        server.stop()
        proxy.close()
        world.close()
