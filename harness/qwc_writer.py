"""Write a .qwc file from its fields, so a scenario's Web Connector is added exactly as a
user adds one: by QBWC reading the file (and refusing it where QBWC would)."""

from __future__ import annotations

from typing import Any

from lxml import etree

#: Element order of a .qwc file as Intuit's sample writes it (guide pp. 33-39).
_ORDER = (
    "AppName",
    "AppID",
    "AppURL",
    "AppDescription",
    "AppSupport",
    "UserName",
    "OwnerID",
    "FileID",
    "QBType",
    "Style",
    "AuthFlags",
    "IsReadOnly",
    "PersonalDataPref",
    "UnattendedModePref",
)


def render_qwc(fields: dict[str, Any]) -> str:
    """``fields`` by .qwc element name; ``RunEveryNMinutes`` / ``RunEveryNSeconds`` go into
    a Scheduler element. A value of None leaves the element out."""
    root = etree.Element("QBWCXML")
    for name in _ORDER:
        value = fields.get(name)
        if value is not None:
            etree.SubElement(root, name).text = _text(value)
    schedule = {k: fields[k] for k in ("RunEveryNMinutes", "RunEveryNSeconds") if fields.get(k)}
    if schedule:
        scheduler = etree.SubElement(root, "Scheduler")
        for name, value in schedule.items():
            etree.SubElement(scheduler, name).text = _text(value)
    unknown = set(fields) - set(_ORDER) - {"RunEveryNMinutes", "RunEveryNSeconds"}
    if unknown:
        raise ValueError(f"unknown .qwc element(s): {', '.join(sorted(unknown))}")
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0"?>\n' + body


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
