"""The status page as JSON: the view's data as it is, for a script or a monitor."""

from __future__ import annotations

import json
from dataclasses import asdict

from connector.status.view import StatusView


def render_json(view: StatusView) -> str:
    return json.dumps(asdict(view), indent=2, ensure_ascii=False) + "\n"
