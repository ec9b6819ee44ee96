"""``connector serve``: run the reference connector on a production WSGI server.

Plain HTTP is served by waitress, and only on a loopback address unless ``--insecure-http``
says otherwise (QBWC itself accepts ``http://`` only for localhost: QBWC1010, guide p.35).
HTTPS (``--certfile``/``--keyfile``) is served by cheroot, CherryPy's HTTP server, with
Python's ``ssl`` module (TLS 1.2 or newer); waitress has no TLS of its own.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import ssl
import sys
from typing import Any, NoReturn

import click

from connector.logs import configure
from connector.settings import SettingsError, load_settings

#: waitress' worker threads: a step holds the store's lock (one SQLite connection), so more
#: threads only overlap the HTTP reading and writing of other Web Connectors' calls.
DEFAULT_THREADS = 4
#: Open connections waitress accepts. Its own default (100) counts its listening socket and
#: trigger, so 100 Web Connectors holding keep-alive connections were not all accepted and
#: the last ones' calls timed out (benchmarks/README.md, load).
DEFAULT_CONNECTION_LIMIT = 1000

#: Seconds an HTTPS connection may stay silent in a read (cheroot's timeout, its default).
TLS_READ_SECONDS = 10
#: Seconds waitress keeps a silent keep-alive connection. Closing idle ones early frees
#: their place in connection_limit, but no earlier than the .NET client's own idle limit
#: (ServicePointManager.MaxServicePointIdleTime, 100 s by default; confidence: medium):
#: a server that closes a kept-alive connection first races the client's next call, the
#: "connection that was expected to be kept alive was closed" error QBWC users know.
IDLE_SECONDS = 110


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.group()
def main() -> None:
    """The reference QuickBooks Web Connector endpoint of qbwc-harness."""


@main.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Settings file (YAML or JSON).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--certfile",
    type=click.Path(dir_okay=False),
    help="PEM certificate (chain) for HTTPS; needs --keyfile.",
)
@click.option("--keyfile", type=click.Path(dir_okay=False), help="PEM private key for HTTPS.")
@click.option(
    "--insecure-http",
    is_flag=True,
    help="Serve plain HTTP on a non-loopback address (only behind a TLS-terminating proxy).",
)
@click.option(
    "--threads",
    default=DEFAULT_THREADS,
    show_default=True,
    type=click.IntRange(1),
    help="Worker threads of the plain HTTP server (waitress).",
)
@click.option(
    "--connection-limit",
    default=DEFAULT_CONNECTION_LIMIT,
    show_default=True,
    type=click.IntRange(1),
    help="Open connections the plain HTTP server (waitress) accepts.",
)
@click.option(
    "--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
)
def serve(
    config_path: str,
    host: str,
    port: int,
    certfile: str | None,
    keyfile: str | None,
    insecure_http: bool,
    threads: int,
    connection_limit: int,
    log_format: str,
    log_level: str,
) -> None:
    """Serve the QBWC SOAP service (WSDL /?wsdl, health /health, status page /status)."""
    if (certfile is None) != (keyfile is None):
        _fail("--certfile and --keyfile go together")
    if certfile is None and not insecure_http and not is_loopback(host):
        _fail(
            f"plain HTTP is served only on localhost, not on {host}: QBWC requires https "
            "for any other host. Give --certfile and --keyfile, or --insecure-http when a "
            "TLS-terminating proxy stands in front."
        )
    try:
        settings = load_settings(config_path)
    except SettingsError as exc:
        _fail(str(exc))
    from connector.soap import make_wsgi_app

    configure(log_format, getattr(logging, log_level.upper()))
    try:
        app = make_wsgi_app(settings)
    except Exception as exc:  # e.g. an unwritable database path: say what, not a traceback
        _fail(f"cannot start the connector: {exc}")
    if certfile is not None and keyfile is not None:
        _serve_https(app, host, port, certfile, keyfile)
        return
    from connector.plain_http import serve_plain

    click.echo(f"connector serving on http://{host}:{port}/ (WSDL: /?wsdl, status page: /status)")
    # waitress buffers a body before the app sees it: hold it to the same limit.
    limit = settings.max_request_bytes
    serve_plain(
        app,
        host=host,
        port=port,
        max_request_body_size=limit,
        threads=threads,
        connection_limit=connection_limit,
        # Kept-alive sockets idle between requests are closed after IDLE_SECONDS, checked
        # every 5 s (waitress: 120 s, every 30 s); a new socket must send its request head
        # within connector.deadlines.HEAD_SECONDS (DeadlineChannel).
        channel_timeout=IDLE_SECONDS,
        cleanup_interval=5,
    )


def _serve_https(app: Any, host: str, port: int, certfile: str, keyfile: str) -> None:
    from cheroot.wsgi import Server

    from connector.tls import DeadlineConnection, DeferredHandshakeAdapter

    try:
        adapter = DeferredHandshakeAdapter(certfile, keyfile)
    except (OSError, ssl.SSLError) as exc:
        _fail(f"cannot load the certificate or key: {exc}")
    adapter.context.minimum_version = ssl.TLSVersion.TLSv1_2
    server = Server(
        (host, port), app, numthreads=16, server_name="qbwc-connector", timeout=TLS_READ_SECONDS
    )
    server.ssl_adapter = adapter
    server.ConnectionClass = DeadlineConnection

    def stop(signum: int, frame: Any) -> None:
        # cheroot's safe_start stops the server cleanly on SystemExit.
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    click.echo(f"connector serving on https://{host}:{port}/ (WSDL: /?wsdl, status page: /status)")
    try:
        server.safe_start()
    except (KeyboardInterrupt, SystemExit):
        server.stop()


if __name__ == "__main__":  # python -m connector.cli
    main()
