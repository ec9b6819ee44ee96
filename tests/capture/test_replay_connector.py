"""`replay CAPTURE --url`: the connector is answered with QuickBooks' recorded responses,
and the first call where it does something else than in the capture is reported."""

from pathlib import Path

from click.testing import CliRunner
from test_record import recorded_session

from harness.capture.connector_replay import replay_against
from harness.cli import EXIT_OK, EXIT_USAGE, cli
from harness.webconnector.transport import HttpTransport
from harness.world import World, WorldOptions


def connector_with(customer: str) -> World:
    """The reference connector on loopback, its app holding one customer, as in production."""
    world = World.build(options=WorldOptions(transport="http"))
    world.app.create_customer(name=customer)
    return world


def test_the_same_connector_in_the_same_state_replays_without_divergence(tmp_path: Path):
    _, capture, _ = recorded_session(tmp_path)
    world, again = connector_with("Acme Plumbing"), connector_with("Acme Plumbing")
    try:
        done, divergence = replay_against(
            capture, world.connector.url, world.connector.password, HttpTransport()
        )
        result = CliRunner().invoke(
            cli,
            [
                "replay",
                str(tmp_path / "capture.jsonl"),
                "--url",
                again.connector.url,
                "--password",
                again.connector.password,
            ],
        )
    finally:
        world.close()
        again.close()
    assert divergence is None
    assert done == len(capture.calls)
    assert result.exit_code == EXIT_OK, result.output
    assert f"{done} call(s) replayed as recorded; no divergence" in result.output


def test_a_connector_that_sends_another_request_diverges_at_that_call(tmp_path: Path):
    _, capture, _ = recorded_session(tmp_path)
    world = connector_with("Acme Plumbing & Heating")
    try:
        done, divergence = replay_against(
            capture, world.connector.url, world.connector.password, HttpTransport()
        )
    finally:
        world.close()
    assert divergence is not None
    assert divergence.call.method == "sendRequestXML"
    assert "<CustomerAddRq" in divergence.call.result
    assert done == capture.calls.index(divergence.call)
    assert [
        w
        for w in divergence.what
        if w.endswith("/Name: recorded 'Acme Plumbing', now 'Acme Plumbing & Heating'")
    ], divergence.what


def test_a_wrong_password_diverges_at_authenticate(tmp_path: Path):
    _, capture, _ = recorded_session(tmp_path)
    world = connector_with("Acme Plumbing")
    try:
        _, divergence = replay_against(capture, world.connector.url, "wrong", HttpTransport())
    finally:
        world.close()
    assert divergence is not None and divergence.call.method == "authenticate"
    assert "nvu" in divergence.what[0].lower()


def test_replay_needs_one_target_and_a_password(tmp_path: Path):
    recorded_session(tmp_path)
    path = str(tmp_path / "capture.jsonl")
    neither = CliRunner().invoke(cli, ["replay", path])
    assert neither.exit_code == EXIT_USAGE and "give --fidelity, or --url/--qwc" in neither.output
    both = CliRunner().invoke(cli, ["replay", path, "--fidelity", "--url", "http://localhost:1"])
    assert both.exit_code == EXIT_USAGE
    no_password = CliRunner().invoke(
        cli, ["replay", path, "--url", "http://localhost:1/x"], env={"QBWC_HARNESS_PASSWORD": None}
    )
    assert no_password.exit_code == EXIT_USAGE
    assert "give the Web Connector password" in no_password.output
