"""qbwc-harness: conformance testing for QuickBooks Web Connector integrations."""
