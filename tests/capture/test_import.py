"""`qbwc-harness import LOG`: a customer's log becomes a scenario that fails the same way."""

import re
from pathlib import Path

import pytest
import yaml
from capture_support import EXAMPLES, LOGS, run_text, vendor_module
from click.testing import CliRunner

from harness.capture.qwclog import read_log
from harness.capture.scenario_writer import write_scenario
from harness.cli import EXIT_OK, EXIT_USAGE, cli
from harness.serve import serve_on_loopback

FAILED_LOGS = [
    "verbose-3100-3200.txt",
    "verbose-payments-3140.txt",
    "verbose-0x80040400.txt",
    "debug-0x80040400.txt",
    "qbwc1012.txt",
    "connection-error.txt",
]


def imported(name: str, **options) -> str:
    return write_scenario(read_log(LOGS / name), scenario_id="imp", source=name, **options).text


@pytest.mark.parametrize("name", FAILED_LOGS)
def test_one_command_turns_a_failed_log_into_a_scenario_that_fails_the_same_way(
    tmp_path: Path, name: str
):
    out = tmp_path / "bug.yaml"
    result = CliRunner().invoke(cli, ["import", str(LOGS / name), "--out", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert "observed" in out.read_text()
    # The observed failure is what the run shows, against the reference connector.
    outcome = run_text(tmp_path, out.read_text())
    assert outcome.status == "passed", outcome.failure


def test_the_failures_are_the_ones_in_the_log():
    data = yaml.safe_load(imported("verbose-3100-3200.txt"))
    checks = [
        s["expect"]["transcript"] for s in data["steps"] if isinstance(s, dict) and "expect" in s
    ]
    assert checks == [
        {
            "responses": [
                {"request": "CustomerAdd", "status_code": 3100, "status_severity": "Error"}
            ]
        },
        {
            "responses": [
                {"request": "CustomerMod", "status_code": 3200, "status_severity": "Error"}
            ]
        },
    ]
    assert data["behaviors"] == ["WC-01", "QBD-02", "QBD-01"]
    auth = yaml.safe_load(imported("qbwc1012.txt"))
    assert {"fault": {"name": "drop_before_call", "method": "authenticate"}} in auth["steps"]


def test_the_company_starts_where_the_real_one_was():
    given = yaml.safe_load(imported("verbose-3100-3200.txt"))["given"]["qbd"]
    kinds = [next(iter(action)) for action in given]
    assert kinds == ["add_customer", "add_customer", "add_item", "create_invoice"]
    item = given[2]["add_item"]
    assert item == {"kind": "service", "name": "Service Call", "price": "125.00"}
    invoice = given[3]["create_invoice"]
    assert invoice["ref_number"] == "1042"
    assert invoice["lines"] == [
        {
            "item": "Service Call",
            "description": "On-site service call",
            "quantity": "2",
            "rate": "125.00",
        }
    ]
    assert invoice["customer"] == given[0]["add_customer"]["name"]


def test_sites_stock_sub_customers_and_payments_are_revealed_too():
    data = yaml.safe_load(imported("verbose-payments-3140.txt"))
    assert data["given"]["qbd_settings"] == {"multi_location_inventory": True}
    given = {next(iter(a)): a[next(iter(a))] for a in data["given"]["qbd"]}
    assert given["add_site"] == {"name": "Van 3"}  # Main Warehouse: every such fake has it
    assert given["add_item"] == {
        "kind": "inventory",
        "name": "Copper Pipe 1/2in",
        "price": "4.25",
        "quantity_on_hand": "340",
    }
    parent = given["add_customer"]["parent"]
    assert given["create_invoice"]["customer"].startswith(f"{parent}:")
    assert given["receive_payment"]["applied_to"] == [{"invoice": "2207", "amount": "50.00"}]
    assert given["receive_payment"]["method"] == "Check"
    assert given["add_payment_method"] == {"name": "Check"}


def test_without_the_revealed_company_the_refusals_do_not_reproduce(tmp_path: Path):
    """The given.qbd is what makes QuickBooks refuse: the scenario can fail."""
    data = yaml.safe_load(imported("verbose-3100-3200.txt"))
    del data["given"]
    outcome = run_text(tmp_path, yaml.safe_dump(data, sort_keys=False))
    assert outcome.status == "failed"
    mismatch = outcome.failure.mismatches[0]
    assert (mismatch.where, mismatch.expected, mismatch.actual) == (
        "transcript.responses[0].status_code",
        3100,
        "0",
    )


def test_a_stale_edit_sequence_stays_stale_and_ids_are_the_fakes():
    text = imported("verbose-3100-3200.txt")
    mod = re.search(r"<CustomerMod>.*?</CustomerMod>", text, re.S).group(0)
    assert "80000007-1772551208" not in mod  # the real ListID, mapped to the fake's
    assert re.search(r"<ListID>8000000\d-\d+</ListID>", mod)
    assert "<EditSequence>1772551208</EditSequence>" in mod  # older than QuickBooks' 1772551230


def test_personal_data_is_replaced_by_seeded_fakes_unless_kept():
    real = [
        "Harbor Dental Group",
        "harbor dental group",
        "billing@harbordental.example",
        "617-555-0142",
        "12 Wharf Street",
        "Salem",
        "Miller &amp; Sons Roofing",
        "Miller & Sons Roofing",
        "pat.miller@millerroofing.example",
    ]
    text = imported("verbose-3100-3200.txt")
    assert [value for value in real if value in text] == []
    assert imported("verbose-3100-3200.txt") == text  # same seed, same fakes
    assert imported("verbose-3100-3200.txt", seed=7) != text
    kept = imported("verbose-3100-3200.txt", keep_personal_data=True)
    assert "Harbor Dental Group" in kept and "billing@harbordental.example" in kept
    assert "7d1c3c2e" not in text and "7d1c3c2e" not in kept  # tickets never copied


def test_several_applications_import_the_failed_one_and_say_so():
    observation = read_log(LOGS / "verbose-3100-3200.txt")
    result = write_scenario(observation, scenario_id="x", source="log")
    assert "left out the sessions of 'Timesheet Export' (use --app)" in result.notes
    other = write_scenario(observation, scenario_id="x", source="log", app="Timesheet Export")
    assert other.sessions == 1


def test_a_partly_readable_log_lists_what_was_skipped(tmp_path: Path):
    result = CliRunner().invoke(
        cli, ["import", str(LOGS / "debug-0x80040400.txt"), "--out", str(tmp_path / "a.yaml")]
    )
    assert result.exit_code == EXIT_OK
    assert "note: 4 part(s) of the log could not be read" in result.output
    assert "line 20: the qbXML after line 18 is cut at 50 characters" in result.output


def test_an_unreadable_log_is_a_clear_error_with_its_line_and_writes_nothing(tmp_path: Path):
    out = tmp_path / "never.yaml"
    result = CliRunner().invoke(cli, ["import", str(LOGS / "not-a-log.txt"), "--out", str(out)])
    assert result.exit_code == EXIT_USAGE
    assert "not-a-log.txt:1: not a Web Connector log" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    unknown = CliRunner().invoke(cli, ["import", str(LOGS / "qbwc1012.txt"), "--app", "Nope"])
    assert unknown.exit_code == EXIT_USAGE
    assert "no session of application 'Nope'" in unknown.output


def test_a_refused_login_becomes_a_sync_with_a_wrong_password(tmp_path: Path):
    text = (LOGS / "verbose-0x80040400.txt").read_text()
    log = tmp_path / "nvu.txt"
    log.write_text(text.replace('<authRet[1]="">', '<authRet[1]="nvu">'))
    data = yaml.safe_load(write_scenario(read_log(log), scenario_id="nvu", source="nvu.txt").text)
    assert {"sync": {"password": "not-the-password"}} in data["steps"]
    assert {"expect": {"transcript": {"outcome": "nvu"}}} in data["steps"]
    assert data["behaviors"][0] == "WC-02"


def test_an_items_parent_is_not_personal_but_a_customers_is():
    from harness.capture.personal import PersonalData

    personal = PersonalData()
    personal.collect(
        [
            "<QBXML><QBXMLMsgsRs><ItemServiceQueryRs><ItemServiceRet><Name>Pipe</Name>"
            "<ParentRef><FullName>Plumbing</FullName></ParentRef></ItemServiceRet>"
            "<CustomerRet><Name>Job 7</Name><ParentRef><FullName>Ann Lee</FullName></ParentRef>"
            "</CustomerRet></ItemServiceQueryRs></QBXMLMsgsRs></QBXML>"
        ]
    )
    assert set(personal.replacements) == {"Job 7", "Ann Lee"}


@pytest.mark.parametrize("name", ["qbwc1012.txt", "verbose-3100-3200.txt"])
def test_an_imported_scenario_fails_the_same_way_against_the_example_vendor_service(
    tmp_path: Path, name: str
):
    """Not only the reference connector: `certify` runs it against a connector not ours."""
    vendor = vendor_module()
    server = serve_on_loopback(vendor.VendorSync())
    scenario = tmp_path / "bug.yaml"
    scenario.write_text(imported(name))
    try:
        result = CliRunner().invoke(
            cli,
            [
                "certify",
                str(scenario),
                "--qwc",
                str(EXAMPLES / "vendor.qwc"),
                "--url",
                f"{server.url}/qbwc",
            ],
            env={"QBWC_HARNESS_PASSWORD": vendor.PASSWORD},
        )
    finally:
        server.stop()
    assert "1 passed, 0 failed" in result.output, result.output


def test_last_imports_the_last_sessions_on_the_company_the_earlier_ones_showed(tmp_path: Path):
    out = tmp_path / "last.yaml"
    result = CliRunner().invoke(
        cli, ["import", str(LOGS / "verbose-3100-3200.txt"), "--last", "1", "--out", str(out)]
    )
    assert result.exit_code == EXIT_OK, result.output
    assert "imported the last 1 of 2 sessions" in result.output
    data = yaml.safe_load(out.read_text())
    assert [next(iter(s)) for s in data["steps"] if isinstance(s, dict)].count("clock") == 0
    assert data["steps"].count("sync") == 1
    assert data["given"] == yaml.safe_load(imported("verbose-3100-3200.txt"))["given"]
    assert run_text(tmp_path, out.read_text()).status == "passed"


def test_a_connection_error_without_its_hresult_still_imports(tmp_path: Path):
    text = (LOGS / "connection-error.txt").read_text().replace('<hresult="0x80040408">', "")
    log = tmp_path / "no-hresult.txt"
    log.write_text(text)
    scenario = write_scenario(read_log(log), scenario_id="c", source="no-hresult.txt").text
    assert "0x80040408 assumed" in scenario
    assert run_text(tmp_path, scenario).status == "passed"


def test_a_fifo_or_device_is_refused_at_once(tmp_path: Path):
    """The bounded read every user file gets (issue 23 item 12): a FIFO does not hang."""
    import os

    fifo = tmp_path / "QWCLog.txt"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["import", str(fifo)])
    assert result.exit_code == EXIT_USAGE
    assert "not a regular file" in result.output
    result = CliRunner().invoke(cli, ["replay", "/dev/zero", "--fidelity"])
    assert result.exit_code == EXIT_USAGE
