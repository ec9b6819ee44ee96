"""Model-based fuzzing of the whole loop: a hypothesis state machine over both sides, the
Web Connectors, the connector and every named fault; a failure is shrunk and written as a
scenario file that ``qbwc-harness run`` replays."""

from harness.fuzz.findings import Written, scenario_for, write_finding
from harness.fuzz.fuzzer import FuzzConfig, FuzzReport, fuzz
from harness.fuzz.machine import Finding, FuzzSession, machine_for
from harness.fuzz.rules import AREAS, RULES, Rule, UnknownRules, select

__all__ = [
    "AREAS",
    "RULES",
    "Finding",
    "FuzzConfig",
    "FuzzReport",
    "FuzzSession",
    "Rule",
    "UnknownRules",
    "Written",
    "fuzz",
    "machine_for",
    "scenario_for",
    "select",
    "write_finding",
]
