"""Certification: a vendor's capability declaration, the scenarios of every claimed
behavior run against its connector (and its app, through an ``AppAdapter``), and the
matrix of verdicts per behavior: passed, failed, not claimed or inconclusive."""

from harness.certification.capabilities import Capabilities, Claim, load_capabilities
from harness.certification.certify import (
    VERDICTS,
    BehaviorVerdict,
    Certification,
    run_certification,
)
from harness.certification.plan import plan_certification
from harness.certification.report import render_html, render_markdown

__all__ = [
    "VERDICTS",
    "BehaviorVerdict",
    "Capabilities",
    "Certification",
    "Claim",
    "load_capabilities",
    "plan_certification",
    "render_html",
    "render_markdown",
    "run_certification",
]
