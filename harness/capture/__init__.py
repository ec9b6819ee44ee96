"""Reproduce a production failure from what the customer has: the Web Connector's own log
(QWCLog.txt) or a capture written by ``qbwc-harness record``.

- ``qwclog``: read a QWCLog.txt into observed sessions;
- ``capture_file``: the capture format (JSON lines, versioned) and its reader;
- ``proxy``: the recording proxy behind ``record``;
- ``company``: the QuickBooks objects the responses reveal, as ``given.qbd`` actions;
- ``personal``: personal data replaced by seeded fake values;
- ``scenario_writer``: observed sessions -> a scenario file;
- ``fidelity``: replay a capture against the fake company and diff the answers.
"""
