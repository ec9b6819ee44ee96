"""Transport: `connector serve` over HTTPS with a certificate made here, plain HTTP only on
loopback, the health endpoint, and the body size limit on a real socket."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from threading import Event, Thread
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from hard_support import (
    NS,
    PROCESS_TIMEOUT,
    add_payments,
    assert_payments_exactly_once,
    envelope,
    fault_of,
    free_port,
    params,
    process_world,
    result_of,
    seed_invoices,
)
from werkzeug.test import Client

from connector.cli import is_loopback, main
from connector.limits import DEFAULT_MAX_REQUEST_BYTES
from harness.world import World


@pytest.fixture
def https_world(
    tmp_path: Path, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[World, str]]:
    cert, key = certificate
    # requests lets these variables override a session's own CA bundle (the simulated Web
    # Connector's HttpTransport(verify=...) sets the session's): keep them out of the way.
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    tls = ("--certfile", str(cert), "--keyfile", str(key))
    with process_world(tmp_path, *tls, scheme="https", verify=str(cert)) as (world, served):
        yield world, served.url


def test_a_payment_sync_over_https(https_world: tuple[World, str], certificate) -> None:
    world, url = https_world
    cert, _ = certificate
    assert url.startswith("https://")
    seed_invoices(world)
    assert world.sync().outcome.status == "completed"
    add_payments(world, "1001", "1002")
    assert world.sync().outcome.status == "completed"
    assert_payments_exactly_once(world)
    assert len(world.qbd.snapshot()["ReceivePayment"]) == 2
    # The certificate is checked (verify=True without our CA fails) and plain HTTP is not
    # spoken on the HTTPS port.
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url + "health", timeout=10)
    with pytest.raises(requests.RequestException):
        requests.get(url.replace("https://", "http://") + "health", timeout=10)
    assert requests.get(url + "health", timeout=10, verify=str(cert)).json() == {"status": "ok"}


def test_an_oversized_chunked_body_is_refused_and_the_server_stays_up(
    https_world: tuple[World, str], certificate
) -> None:
    _, url = https_world
    cert, _ = certificate

    def chunks() -> Iterator[bytes]:  # no Content-Length: Transfer-Encoding: chunked
        yield b'<?xml version="1.0"?><soap:Envelope xmlns:soap="x"><soap:Body>'
        for _ in range(DEFAULT_MAX_REQUEST_BYTES // 65536 + 2):
            yield b"A" * 65536

    answer = requests.post(
        url,
        data=chunks(),
        headers={"Content-Type": "text/xml; charset=utf-8"},
        timeout=PROCESS_TIMEOUT,
        verify=str(cert),
    )
    assert answer.status_code == 413
    assert "max_request_bytes" in fault_of(answer.content)
    call = requests.post(
        url,
        data=envelope("serverVersion"),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NS}serverVersion"'},
        timeout=PROCESS_TIMEOUT,
        verify=str(cert),
    )
    assert call.status_code == 200 and b"serverVersionResult" in call.content


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        *[("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.1.2.3", True)],
        *[("0.0.0.0", False), ("192.168.1.20", False), ("example.com", False)],
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def _config(tmp_path: Path, **extra: object) -> str:
    path = tmp_path / "c.yaml"
    lines = ["app_base_url: http://localhost:9", *(f"{k}: {v}" for k, v in extra.items())]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_plain_http_on_a_public_address_is_refused(tmp_path: Path, monkeypatch) -> None:
    from connector import plain_http

    calls: dict[str, object] = {}
    monkeypatch.setattr(plain_http, "serve_plain", lambda app, **kw: calls.update(kw))
    config = _config(tmp_path)
    refused = CliRunner().invoke(main, ["serve", "--config", config, "--host", "0.0.0.0"])
    assert refused.exit_code == 2 and "plain HTTP is served only on localhost" in refused.output
    assert calls == {}
    allowed = CliRunner().invoke(
        main, ["serve", "--config", config, "--host", "0.0.0.0", "--insecure-http"]
    )
    assert allowed.exit_code == 0, allowed.output
    assert calls["host"] == "0.0.0.0"


def test_waitress_holds_bodies_to_the_size_setting(tmp_path: Path, monkeypatch) -> None:
    from connector import plain_http

    calls: dict[str, object] = {}
    monkeypatch.setattr(plain_http, "serve_plain", lambda app, **kw: calls.update(kw))
    config = _config(tmp_path, max_request_bytes=65536)
    result = CliRunner().invoke(main, ["serve", "--config", config])
    assert result.exit_code == 0, result.output
    assert calls["max_request_body_size"] == 65536


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--certfile", "cert.pem"], "--certfile and --keyfile go together"),
        (["--keyfile", "key.pem"], "--certfile and --keyfile go together"),
        (["--certfile", "missing.pem", "--keyfile", "missing.pem"], "cannot load the certificate"),
    ],
)
def test_bad_tls_options_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--config", _config(tmp_path), "--port", str(free_port()), *args]
    )
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_health_endpoint_says_whether_the_store_answers(tmp_path: Path) -> None:
    from connector import ConnectorSettings, make_wsgi_app

    settings = ConnectorSettings(app_base_url="http://localhost:9", db_path=str(tmp_path / "h.db"))
    wsgi = make_wsgi_app(settings)
    client = Client(wsgi)
    ok = client.get("/health")
    assert ok.status_code == 200 and ok.json == {"status": "ok"}
    assert client.head("/health").status_code == 200
    # Everything else still reaches the service: the WSDL, and SOAP calls.
    assert b"QBWebConnectorSvc" in client.get("/?wsdl").data
    answer = client.post(
        "/",
        data=envelope("serverVersion"),
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    assert answer.status_code == 200
    wsgi.sessions.store.close()
    down = client.get("/health")
    assert down.status_code == 503 and down.json == {"status": "unavailable"}


def test_the_size_limit_is_a_setting(tmp_path: Path) -> None:
    from connector import ConnectorSettings, make_wsgi_app

    settings = ConnectorSettings(app_base_url="http://localhost:9", max_request_bytes=8192)
    client = Client(make_wsgi_app(settings))
    small = envelope("authenticate", params(strUserName="u" * 4000, strPassword="p"))
    big = envelope("authenticate", params(strUserName="u" * 9000, strPassword="p"))
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    assert client.post("/", data=small, headers=headers).status_code == 200
    refused = client.post("/", data=big, headers=headers)
    assert refused.status_code == 413
    assert "the limit is 8192 bytes" in fault_of(refused.data)


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_insecure_holds_when_a_ca_bundle_variable_is_set(
    https_world: tuple[World, str], monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """CI images often set these; requests lets them replace a session's verify=False."""
    from harness.webconnector import HttpTransport
    from harness.webconnector.soap_client import QbwcSoapClient

    _, url = https_world
    monkeypatch.setenv(variable, "/nonexistent/ca-bundle.pem")
    client = QbwcSoapClient(url, HttpTransport(verify=False))
    assert client.call("serverVersion", {}).status == 200


def test_silent_tcp_connections_do_not_stall_https_clients(
    https_world: tuple[World, str], certificate
) -> None:
    """Three clients connect and never start TLS: the next client is still served within
    its 5 s read timeout (the handshake once ran in the accept loop: 10 s each)."""
    import socket
    from urllib.parse import urlsplit

    _, url = https_world
    cert, _ = certificate
    port = urlsplit(url).port
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    try:
        answer = requests.get(url + "health", timeout=5, verify=str(cert))
        assert answer.status_code == 200
    finally:
        for sock in idle:
            sock.close()


def answered_while_held(ask: Callable[[], None], release: Event, holder: Thread) -> bool:
    """Run ``ask`` on a thread of its own while ``holder`` is blocked: True when it finished
    within 10 s, a third of the app client's 30 s timeout (while the store's lock was held
    across an app call, such answers came only when that call timed out); then ``release``
    lets the holder go."""
    asking = Thread(target=ask, daemon=True)
    asking.start()
    asking.join(10)
    answered = not asking.is_alive()
    release.set()
    holder.join(PROCESS_TIMEOUT)
    asking.join(PROCESS_TIMEOUT)
    return answered


def test_a_slow_app_call_stalls_no_other_caller(tmp_path: Path) -> None:
    """Issue 23 item 9: authenticate plans the session with the app, and the app's first
    answer hangs until the test lets it go. Meanwhile /health, a wrong password, another
    company's Web Connector (its login and its getLastError) and a second login to the busy
    company file are all answered: the plan is made outside the store's lock (they once
    waited for the app, up to the app client's 30 s timeout)."""
    import threading

    from test_hard_vendor import head, hostile_vendor

    from connector import ConnectorSettings, make_wsgi_app
    from harness.world import HARNESS_PASSWORD, HARNESS_USER

    release, first = threading.Event(), threading.Lock()

    def slow_app(request: bytes, conn: object) -> None:
        if first.acquire(blocking=False):  # the first call hangs; later ones fail at once
            release.wait(PROCESS_TIMEOUT)
        conn.sendall(head("503 Busy", "Content-Length: 0"))  # type: ignore[attr-defined]

    users = [
        {"username": HARNESS_USER, "password": HARNESS_PASSWORD, "company_file": "A.QBW"},
        {"username": "second", "password": HARNESS_PASSWORD, "company_file": "A.QBW"},
        {"username": "other", "password": HARNESS_PASSWORD, "company_file": "B.QBW"},
    ]
    with hostile_vendor(slow_app) as app:
        settings = ConnectorSettings(
            app_base_url=app.url, db_path=str(tmp_path / "c.db"), users=users
        )
        client = Client(make_wsgi_app(settings))
        headers = {"Content-Type": "text/xml; charset=utf-8"}

        def call(method: str, **values: str) -> bytes:
            return client.post("/", data=envelope(method, params(**values)), headers=headers).data

        def login(user: str, password: str = HARNESS_PASSWORD) -> bytes:
            return call("authenticate", strUserName=user, strPassword=password)

        holder = threading.Thread(target=login, args=(HARNESS_USER,), daemon=True)
        holder.start()
        while not app.requests:  # authenticate is now waiting for the app
            holder.join(0.01)
        answers: dict[str, Any] = {}

        def others() -> None:
            answers["health"] = client.get("/health").status_code
            answers["wrong"] = login(HARNESS_USER, "a wrong one")
            answers["other"] = login("other")
            ticket = result_of(answers["other"], "authenticate")[0]
            answers["other_error"] = call("getLastError", ticket=ticket)
            answers["second"] = login("second")

        served_while_app_hangs = answered_while_held(others, release, holder)
    assert served_while_app_hangs
    assert answers["health"] == 200
    assert result_of(answers["wrong"], "authenticate")[1] == "nvu"
    assert result_of(answers["other"], "authenticate")[1] == "B.QBW"
    assert "could not be reached" in result_of(answers["other_error"], "getLastError")
    assert result_of(answers["second"], "authenticate")[1] == "busy"  # A.QBW is being planned


def test_get_last_error_does_not_wait_for_another_sessions_step(tmp_path: Path) -> None:
    """A step of one session holds the store's transaction (as one waiting for the app
    does); another session's getLastError still answers, from what was committed."""
    import threading

    from connector.session import QbwcSessions
    from connector.settings import ConnectorSettings
    from harness.world import HARNESS_PASSWORD, HARNESS_USER

    settings = ConnectorSettings(
        app_base_url="http://127.0.0.1:9",  # unreachable: the session starts with that error
        db_path=str(tmp_path / "c.db"),
        users=[{"username": HARNESS_USER, "password": HARNESS_PASSWORD}],
    )
    sessions = QbwcSessions(settings)
    ticket, _ = sessions.authenticate(HARNESS_USER, HARNESS_PASSWORD)
    holding, release = threading.Event(), threading.Event()

    def step() -> None:
        with sessions.store.transaction():
            holding.set()
            release.wait(PROCESS_TIMEOUT)

    stepping = threading.Thread(target=step, daemon=True)
    stepping.start()
    holding.wait(PROCESS_TIMEOUT)
    answer: list[str] = []
    ask = lambda: answer.append(sessions.get_last_error(ticket))  # noqa: E731
    assert answered_while_held(ask, release, stepping)
    assert "could not be reached" in answer[0]
