"""Where the scenarios are when no path is given.

A ``scenarios`` folder in the current directory (a clone, or a team's own suite) wins; the
suite shipped inside the package (the wheel carries the repository's ``scenarios/`` as
``harness/suite``) is used otherwise, so an installed ``qbwc-harness run`` works anywhere.
"""

from __future__ import annotations

from pathlib import Path

LOCAL = Path("scenarios")
_PACKAGE = Path(__file__).resolve().parents[1]
#: In a built wheel (``[tool.hatch.build.targets.wheel.force-include]``), then in the
#: checkout an editable install points at.
_SHIPPED = (_PACKAGE / "suite", _PACKAGE.parent / "scenarios")


def shipped_suite() -> Path | None:
    """The scenarios shipped with the package, or None in a build without them."""
    return next((p for p in _SHIPPED if p.is_dir()), None)


def default_scenarios(part: str = "") -> Path:
    """``./scenarios/<part>`` when present, else the shipped suite's ``<part>`` (the local
    path when neither exists, for the caller's "no such folder" error)."""
    local = LOCAL / part if part else LOCAL
    shipped = shipped_suite()
    if local.exists() or shipped is None:
        return local
    return shipped / part if part else shipped
