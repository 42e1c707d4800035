"""The one time grammar of the runner, the generator and dbt's score_as_of.

YYYY-MM-DD[( |T)HH:MM[:SS]], UTC, optionally marked Z or +00:00. Other offsets and fractional
seconds are refused: Python's fromisoformat would take them and a naive strftime drop the offset.
macros/config/score_as_of.sql accepts exactly the same texts.
"""

from __future__ import annotations

import datetime as dt
import re

from leadscore.errors import UsageError

AS_OF_FORMAT = "YYYY-MM-DD[ HH:MM[:SS]]"
_AS_OF_PATTERN = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?(?:Z|\+00:00)?")


def parse_utc_time(text: str, option: str = "--as-of") -> dt.datetime:
    """A UTC time in the grammar, as a naive datetime; otherwise (also for impossible dates such
    as 2026-02-30) a UsageError naming the option it came from."""
    match = _AS_OF_PATTERN.fullmatch(str(text).strip())
    if match:
        try:
            return dt.datetime(*(int(part or 0) for part in match.groups()))
        except ValueError:
            pass
    shown = str(text) if len(str(text)) <= 40 else str(text)[:37] + "..."
    raise UsageError(f"{option} {shown!r} is not a UTC time: use {AS_OF_FORMAT}")


def format_time(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def today_utc() -> dt.datetime:
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def parse_every(text: str, option: str = "--every") -> dt.timedelta:
    """A step of whole days, 'Nd' (1d, 7d, 30d)."""
    match = re.fullmatch(r"(\d{1,4})d", str(text).strip())
    if not match or int(match.group(1)) < 1:
        raise UsageError(f"{option} {str(text)[:40]!r}: give a number of days such as 1d or 7d")
    return dt.timedelta(days=int(match.group(1)))
