"""``connector serve``: run the reference connector on waitress."""

from __future__ import annotations

import sys

import click

from connector.logs import configure
from connector.settings import SettingsError, load_settings


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
    "--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def serve(config_path: str, host: str, port: int, log_format: str) -> None:
    """Serve the QBWC SOAP service (WSDL at /?wsdl)."""
    try:
        settings = load_settings(config_path)
    except SettingsError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    import waitress

    from connector.soap import make_wsgi_app

    configure(log_format)
    try:
        app = make_wsgi_app(settings)
    except Exception as exc:  # e.g. an unwritable database path: say what, not a traceback
        click.echo(f"error: cannot start the connector: {exc}", err=True)
        sys.exit(2)
    click.echo(f"connector serving on http://{host}:{port}/ (WSDL: /?wsdl)")
    waitress.serve(app, host=host, port=port)
