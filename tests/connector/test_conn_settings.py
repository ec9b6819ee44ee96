"""Settings: hashed passwords never shown, clear errors for bad files, the serve CLI."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from connector import ConnectorSettings, SettingsError, load_settings
from connector.cli import main
from connector.passwords import hash_password, verify_password


def test_password_is_hashed_and_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    settings = ConnectorSettings(
        users=[{"username": "qbuser", "password": "hunter2-secret"}],
        app_base_url="http://localhost:1",
    )
    user = settings.users[0]
    assert user.password.startswith("scrypt$") and "hunter2" not in user.password
    assert user.check_password("hunter2-secret")
    assert not user.check_password("hunter2-secreT")
    assert "hunter2" not in repr(settings) and "scrypt" not in repr(settings)
    assert "hunter2" not in str(settings.model_dump(exclude={"users"}))


def test_pre_hashed_password_is_kept() -> None:
    hashed = hash_password("pw", salt=b"0" * 16)
    settings = ConnectorSettings(
        users=[{"username": "u", "password": hashed}], app_base_url="http://x"
    )
    assert settings.users[0].password == hashed
    assert verify_password("pw", hashed) and not verify_password("pw", "garbage")


def test_exactly_one_app_target() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        ConnectorSettings()
    with pytest.raises(ValidationError, match="exactly one"):
        ConnectorSettings(
            app_base_url="http://x", app_transport=httpx.MockTransport(lambda r: None)
        )


def test_login_failure_does_not_log_the_password(soap_for, tiny_app, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    soap = soap_for(tiny_app)
    soap.authenticate("qbuser", "wrong-password-xyz")
    soap.authenticate("qbuser", "s3cret")
    assert "wrong-password-xyz" not in caplog.text and "s3cret" not in caplog.text


def test_load_yaml_and_json(tmp_path: Path) -> None:
    yaml_file = tmp_path / "c.yaml"
    yaml_file.write_text(
        "app_base_url: http://localhost:8000\n"
        "db_path: connector.sqlite\n"
        "users:\n  - {username: qb, password: pw, company_file: 'C:\\Acme.QBW'}\n"
    )
    settings = load_settings(yaml_file)
    assert settings.users[0].company_file == "C:\\Acme.QBW"
    json_file = tmp_path / "c.json"
    json_file.write_text(json.dumps({"app_base_url": "http://a", "default_service_item": "Labor"}))
    assert load_settings(json_file).default_service_item == "Labor"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("app_base_url: [unclosed", "not valid"),
        ("- just\n- a list\n", "mapping"),
        ("app_base_url: http://x\nqbxml_version: thirteen\n", "qbxml_version"),
        ("app_base_url: http://x\nusers: [{username: u, password: supersecret, x: 1}]\n", "users"),
        ("app_base_url: http://x\nprofile: quickbooks-online\n", "unknown profile"),
    ],
)
def test_bad_settings_files_say_what_is_wrong(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=expected) as info:
        load_settings(path)
    assert "supersecret" not in str(info.value)


def test_a_settings_file_names_a_profile_and_the_default_is_two_way(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("app_base_url: http://x\n")
    default = load_settings(path)
    assert (default.customer_direction, default.invoice_direction) == ("both", "both")
    path.write_text("app_base_url: http://x\nprofile: syncro\n")
    syncro = load_settings(path)
    assert (syncro.customer_direction, syncro.invoice_direction) == ("to_qbd", "to_qbd")


def test_serve_with_a_bad_config_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["serve", "--config", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "cannot read settings file" in result.output
    assert "Traceback" not in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("users: 3\napp_base_url: http://x\n")
    result = runner.invoke(main, ["serve", "--config", str(bad)])
    assert result.exit_code == 2 and "invalid settings" in result.output


def test_serve_runs_waitress_with_the_app(tmp_path: Path, monkeypatch) -> None:
    from connector import plain_http

    calls = {}
    monkeypatch.setattr(plain_http, "serve_plain", lambda app, **kw: calls.update(app=app, **kw))
    config = tmp_path / "ok.yaml"
    config.write_text("app_base_url: http://localhost:8000\n")
    result = CliRunner().invoke(main, ["serve", "--config", str(config), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls["port"] == 8123 and calls["host"] == "127.0.0.1"
    assert hasattr(calls["app"], "sessions")
    # waitress' default connection limit (100) would refuse the 100th Web Connector.
    assert calls["connection_limit"] == 1000 and calls["threads"] == 4
    options = ["--threads", "8", "--connection-limit", "50"]
    result = CliRunner().invoke(main, ["serve", "--config", str(config), *options])
    assert result.exit_code == 0, result.output
    assert calls["connection_limit"] == 50 and calls["threads"] == 8


def test_json_log_lines_carry_extras() -> None:
    from connector.logs import JsonFormatter

    record = logging.makeLogRecord(
        {"name": "connector.session", "levelname": "INFO", "msg": "auth %s", "args": ("ok",)}
    )
    record.event = "authenticate"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "auth ok" and line["event"] == "authenticate"
    assert line["level"] == "info" and "time" in line
