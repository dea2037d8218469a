"""Asyncio client of the Heliotherm serial protocol (PROTOCOL.md sections 3-7).

The client is built of rooms, one job each: the link and session (``session``), data points
(``data_points``), clock and fault list (``clock_faults``) and time programs
(``time_programs``). One lock guards the line, so exactly one request is ever outstanding.
"""

from __future__ import annotations

from .clock_faults import CLOCK_TOLERANCE_SECONDS, ClockAndFaults
from .data_points import DataPoints, check_limits, values_equal
from .session import (
    DEFAULT_TIMEOUT,
    LinkStatistics,
    WriteLog,
    chunk_command,
    is_write_command,
)
from .time_programs import TimePrograms

__all__ = [
    "CLOCK_TOLERANCE_SECONDS",
    "DEFAULT_TIMEOUT",
    "HeliothermClient",
    "LinkStatistics",
    "WriteLog",
    "check_limits",
    "chunk_command",
    "is_write_command",
    "values_equal",
]


class HeliothermClient(DataPoints, ClockAndFaults, TimePrograms):
    """Talks to one pump over one exclusive link."""
