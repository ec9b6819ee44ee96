"""The commented template that ``qbwc-harness new`` writes."""

SCENARIO_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A scenario: the world before, what happens, and what both sides must show after.
# Run it with `qbwc-harness run THIS_FILE`; see every SOAP call and qbXML message with
# `qbwc-harness show THIS_FILE`.
id: {id}
title: Describe, in one sentence, what must happen
behaviors: [{behaviors}]          # the behavior IDs it shows: `qbwc-harness behaviors`
tags: []
profile: default                  # the connector profile under test

given:
  qbd:                            # what a person already did in QuickBooks
    - add_payment_method: {{name: Cash}}
  app:                            # what a person already did in the app
    - create_customer: {{name: Acme Plumbing}}

steps:
  - sync                          # one Web Connector session ("Update Selected")

expect:                           # required: what must hold after the steps
  transcript:
    outcome: completed
  qbd:
    Customer:
      Acme Plumbing: {{IsActive: true}}
"""
