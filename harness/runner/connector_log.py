"""The connector's log lines during one scenario, kept with its result (shown in the HTML
report) instead of printed over the runner's progress."""

from __future__ import annotations

import logging

#: The reference connector logs under this name (connector/logs.py).
CONNECTOR_LOGGER = "connector"


class ConnectorLogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @classmethod
    def attach(cls) -> ConnectorLogCapture:
        capture = cls()
        logging.getLogger(CONNECTOR_LOGGER).addHandler(capture)
        return capture

    def detach(self) -> str:
        logging.getLogger(CONNECTOR_LOGGER).removeHandler(self)
        return "\n".join(self.lines)
