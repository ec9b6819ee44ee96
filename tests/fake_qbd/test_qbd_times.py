"""QuickBooks writes times with the zone's standard offset all summer (values.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from harness.clock import SimClock
from harness.fake_qbd import CompanySettings, QBDCompany

NEW_YORK = ZoneInfo("America/New_York")
ADD = (
    '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
    "<CustomerAddRq><CustomerAdd><Name>Harbor</Name></CustomerAdd></CustomerAddRq>"
    "</QBXMLMsgsRq></QBXML>"
)


@pytest.mark.parametrize(
    ("month", "quirk", "written"),
    [
        (7, True, "2026-07-01T10:00:00-05:00"),  # EDT, written with EST's offset
        (7, False, "2026-07-01T10:00:00-04:00"),
        (1, True, "2026-01-05T10:00:00-05:00"),  # standard time: nothing to change
    ],
)
def test_summer_times_carry_the_standard_offset(validate, month, quirk, written):
    day = 1 if month == 7 else 5
    clock = SimClock(datetime(2026, month, day, 10, 0, tzinfo=NEW_YORK))
    company = QBDCompany(CompanySettings(dst_standard_offset_quirk=quirk), clock)
    ret = validate(company.process(ADD))[0][0][0]
    assert ret.findtext("TimeCreated") == ret.findtext("TimeModified") == written
    assert company.snapshot()["Customer"][0]["TimeModified"] == written
