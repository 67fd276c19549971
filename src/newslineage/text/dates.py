"""Times in one zone: every stage compares and stores datetimes in UTC.

>>> from datetime import datetime, timedelta, timezone
>>> as_utc(datetime(2024, 5, 1, 12, 0))
datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
>>> as_utc(datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))).hour
12
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["as_utc"]


def as_utc(value: datetime | None) -> datetime | None:
    """``value`` in UTC: a naive time is taken as UTC (sources that omit the zone mostly mean
    it, and guessing a local zone would invent an offset), an aware one is converted; None
    stays None (an unknown date is never invented), and so does a time that falls outside
    years 1-9999 once converted (``9999-12-31T23:59:59-23:59``).

    >>> as_utc(datetime.fromisoformat("9999-12-31T23:59:59-23:59")) is None
    True
    """
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return None
