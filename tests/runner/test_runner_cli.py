"""The qbwc-harness command as a CI job and a developer use it."""

import json
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from harness.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, cli

REPO = Path(__file__).resolve().parents[2]
PAY_02 = REPO / "scenarios" / "payments" / "pay-02-full-payment.yaml"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_run_passes_a_scenario_and_writes_every_report(tmp_path):
    result = run(
        "run",
        str(PAY_02),
        "--junit",
        str(tmp_path / "j.xml"),
        "--html",
        str(tmp_path / "r.html"),
        "--markdown",
        str(tmp_path / "m.md"),
        "--json",
        str(tmp_path / "r.json"),
    )
    assert result.exit_code == EXIT_OK, result.output
    assert result.output.rstrip().endswith("1 passed, 0 failed")
    assert "PAY-02" in result.output
    assert etree.parse(str(tmp_path / "j.xml")).getroot().get("tests") == "1"
    assert "pay-02-full-payment" in (tmp_path / "r.html").read_text()
    assert "| PAY-02 | Yes |" in (tmp_path / "m.md").read_text()
    assert json.loads((tmp_path / "r.json").read_text())[0]["status"] == "passed"


def test_a_failing_scenario_exits_1_with_a_diff(tmp_path):
    broken = tmp_path / "scenarios" / "broken.yaml"
    broken.parent.mkdir()
    text = (
        PAY_02.read_text()
        .replace("status: paid", "status: void")
        .replace("id: pay-02-full-payment", "id: broken-expectation")
    )
    broken.write_text(text)
    result = run("run", str(broken))
    assert result.exit_code == EXIT_FAILED
    assert "app.invoices[1001].status: expected 'void', got 'paid'" in result.output


def test_bad_files_exit_2_with_file_and_line_and_run_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: t\nbehaviors: [WC-01]\nsteps:\n  - synk\n")
    result = CliRunner().invoke(cli, ["run", str(bad)])
    assert result.exit_code == EXIT_USAGE
    assert f"{bad}:5: unknown step 'synk'" in result.output
    assert "nothing was run" in result.output


def test_selection_that_matches_nothing_is_a_usage_error():
    result = CliRunner().invoke(cli, ["run", str(PAY_02), "--behavior", "INV"])
    assert result.exit_code == EXIT_USAGE
    assert "no scenario matches" in result.output


def test_bad_shard_is_a_usage_error():
    result = CliRunner().invoke(cli, ["run", str(PAY_02), "--shard", "3/2"])
    assert result.exit_code == EXIT_USAGE and "--shard" in result.output


def test_new_writes_a_template_that_validates_and_passes(tmp_path):
    path = tmp_path / "scenarios" / "my-bug.yaml"
    assert run("new", str(path), "--behavior", "CUS-01").exit_code == EXIT_OK
    assert "behaviors: [CUS-01]" in path.read_text()
    assert run("validate", str(path)).exit_code == EXIT_OK
    assert run("run", str(path)).exit_code == EXIT_OK


def test_show_prints_every_call_and_qbxml_message():
    result = run("show", str(PAY_02))
    assert result.exit_code == EXIT_OK
    assert "authenticate(" in result.output and '"strPassword": "REDACTED"' in result.output
    assert "<ReceivePaymentQueryRq" in result.output
    assert "harness-secret" not in result.output


def test_show_is_byte_for_byte_reproducible():
    first = run("show", str(PAY_02), "--format", "json").output
    assert first == run("show", str(PAY_02), "--format", "json").output


def test_behaviors_lists_ids_texts_and_the_scenarios_covering_them():
    result = run("behaviors", "PAY-02", "WC", "--scenarios", str(PAY_02))
    assert result.exit_code == EXIT_OK, result.output
    lines = result.output.splitlines()
    pay_02 = lines.index(next(line for line in lines if line.lstrip().startswith("PAY-02 ")))
    assert "invoice" in lines[pay_02] and "scenarios: pay-02-full-payment" in lines[pay_02 + 1]
    assert "WC: the Web Connector session" in result.output and "WC-17" in result.output
    assert "scenarios: none" in result.output  # no WC scenario among the files given
    assert "PAY-01 " not in result.output


def test_behaviors_as_json_and_an_unknown_id_refused():
    rows = json.loads(run("behaviors", "PAY-02", "--json", "--scenarios", str(PAY_02)).output)
    assert [(r["id"], r["scenarios"]) for r in rows] == [("PAY-02", ["pay-02-full-payment"])]
    refused = CliRunner().invoke(cli, ["behaviors", "PAY-77"])
    assert refused.exit_code == EXIT_USAGE and "qbwc-harness behaviors" in refused.output


def test_an_unknown_behavior_id_names_the_behaviors_command(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: t\nbehaviors: [PAY-77]\nexpect: {}\n")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == EXIT_USAGE
    assert f"{bad}:3: behaviors: unknown behavior ID PAY-77 (`qbwc-harness behaviors` lists" in (
        result.output
    )


def test_new_refuses_an_unknown_behavior_and_writes_nothing(tmp_path):
    path = tmp_path / "my-bug.yaml"
    result = CliRunner().invoke(cli, ["new", str(path), "--behavior", "PAY-77"])
    assert result.exit_code == EXIT_USAGE and "unknown behavior ID PAY-77" in result.output
    assert not path.exists()


def test_new_points_at_the_schema_from_a_sub_folder(tmp_path):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "scenario.schema.json").write_text("{}")
    deep = tmp_path / "scenarios" / "payments" / "bugs" / "my-bug.yaml"
    assert run("new", str(deep), "--behavior", "PAY-02").exit_code == EXIT_OK
    first = deep.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../scenario.schema.json"


def test_a_wrong_type_stops_run_with_file_and_line_before_anything_runs(tmp_path):
    bad = tmp_path / "lots.yaml"
    bad.write_text(PAY_02.read_text().replace('      amount: "250.00"\n', "      amount: lots\n"))
    line = bad.read_text().splitlines().index("      amount: lots") + 1
    for command in ("validate", "run"):
        result = CliRunner().invoke(cli, [command, str(bad)])
        assert result.exit_code == EXIT_USAGE, result.output
        assert f"{bad}:{line}: amount: expected a number" in result.output


def test_a_duplicate_id_is_reported_at_its_id_line(tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text(PAY_02.read_text())
    result = CliRunner().invoke(cli, ["validate", str(PAY_02), str(copy)])
    assert result.exit_code == EXIT_USAGE
    assert f"{copy}:2: id 'pay-02-full-payment' is already used by {PAY_02}" in result.output


def test_fuzz_refuses_a_negative_example_count_without_a_traceback():
    result = CliRunner().invoke(cli, ["fuzz", "--examples", "-3"])
    assert result.exit_code == EXIT_USAGE
    assert "--examples" in result.output and "Traceback" not in result.output


def test_quiet_run_still_prints_the_failures(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(PAY_02.read_text().replace("status: paid", "status: void"))
    result = run("run", "-q", str(broken))
    assert result.exit_code == EXIT_FAILED
    assert "app.invoices[1001].status: expected 'void', got 'paid'" in result.output
    assert "Results by behavior" not in result.output
    assert result.output.rstrip().endswith("0 passed, 1 failed")


def test_output_that_is_not_a_terminal_is_not_cut_at_80_columns(tmp_path, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    long_id = "pay-02-" + "a-scenario-id-long-enough-to-pass-eighty-columns-" * 2 + "end"
    copy = tmp_path / "long.yaml"
    copy.write_text(PAY_02.read_text().replace("id: pay-02-full-payment", f"id: {long_id}"))
    result = run("run", str(PAY_02), str(copy))
    assert result.exit_code == EXIT_OK, result.output
    row = next(line for line in result.output.splitlines() if "PAY-02" in line)
    assert f"pay-02-full-payment, {long_id}" in row
