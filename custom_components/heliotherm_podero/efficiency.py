"""Heat over electricity per period: the day, the month and the heating season (a COP).

Pure bookkeeping, no Home Assistant: a ``Ledger`` is given the readings of two counters
(heat and electricity, kWh, each only ever growing) and the local date, and adds what each
gained to the running periods. A period turns at local midnight, on the 1st of a month and
on the 1st of the month the season starts with; the period that ended is kept as the last
one. A counter that goes back (reset, replaced) starts a new segment: its next gains count,
the step back adds nothing (never a negative, never a spike). A reading that is unknown adds
nothing; once the counter reads again, what it gained meanwhile counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from .sources.model import as_number


class Span(StrEnum):
    """How long a period lasts."""

    DAY = "day"
    MONTH = "month"
    SEASON = "season"


# Least electricity gained before a figure is shown: a COP of a few Wh says nothing.
MINIMUM_ELECTRICITY = {Span.DAY: 0.1, Span.MONTH: 1.0, Span.SEASON: 1.0}


def period_of(span: Span, day: date, season_start: int) -> str:
    """The period ``day`` lies in: "2026-12-06", "2026-12", or the season's first month."""
    if span is Span.DAY:
        return day.isoformat()
    if span is Span.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    year = day.year if day.month >= season_start else day.year - 1
    return f"{year:04d}-{season_start:02d}/season"


def previous_period(span: Span, day: date, season_start: int) -> str:
    """The period just before the one ``day`` lies in."""
    if span is Span.DAY:
        return period_of(span, day - timedelta(days=1), season_start)
    first = day.replace(day=1) - timedelta(days=1)  # the last day of the month before
    if span is Span.MONTH:
        return period_of(span, first, season_start)
    start_year = int(period_of(span, day, season_start)[:4])
    return period_of(span, date(start_year - 1, season_start, 1), season_start)


@dataclass(slots=True)
class Gains:
    """What heat and electricity gained in one period."""

    period: str
    heat: float = 0.0
    electricity: float = 0.0

    def ratio(self, minimum: float) -> float | None:
        """Heat over electricity, two decimals; unknown below ``minimum`` kWh of electricity."""
        if self.electricity < minimum:
            return None
        return round(self.heat / self.electricity, 2)


@dataclass(slots=True)
class Ledger:
    """One pair of counters: the last readings, and the gains of the running and last periods."""

    season_start: int = 7
    heat: float | None = None  # the last reading of each counter (where a segment goes on)
    electricity: float | None = None
    running: dict[Span, Gains] = field(default_factory=dict)
    last: dict[Span, Gains] = field(default_factory=dict)

    def turn(self, today: date) -> None:
        """Start the periods ``today`` lies in; a period that ended becomes the last one."""
        for span in Span:
            period = period_of(span, today, self.season_start)
            running = self.running.get(span)
            if running is not None and running.period == period:
                continue
            if running is not None and running.period == previous_period(
                span, today, self.season_start
            ):
                self.last[span] = running
            else:
                self.last.pop(span, None)  # not the period just before: nothing to show
            self.running[span] = Gains(period)

    def update(self, today: date, heat: float | None, electricity: float | None) -> None:
        """Turn the periods, then add what each counter gained since its last reading."""
        self.turn(today)
        gained_heat, self.heat = _gain(self.heat, heat)
        gained_electricity, self.electricity = _gain(self.electricity, electricity)
        for gains in self.running.values():
            gains.heat += gained_heat
            gains.electricity += gained_electricity

    def ratio(self, span: Span, *, last: bool = False) -> float | None:
        """The running (or last) period's heat over electricity; unknown while too little."""
        gains = (self.last if last else self.running).get(span)
        return gains.ratio(MINIMUM_ELECTRICITY[span]) if gains is not None else None

    def as_dict(self) -> dict[str, Any]:
        """What is stored."""
        return {
            "heat": self.heat,
            "electricity": self.electricity,
            "running": {span.value: _gains_dict(g) for span, g in self.running.items()},
            "last": {span.value: _gains_dict(g) for span, g in self.last.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], season_start: int) -> Ledger:
        """A stored ledger; what cannot be read is left out (counting goes on from there)."""
        ledger = cls(season_start=season_start)
        ledger.heat = as_number(data.get("heat"))
        ledger.electricity = as_number(data.get("electricity"))
        for target, stored in (
            (ledger.running, data.get("running")),
            (ledger.last, data.get("last")),
        ):
            for span in Span:
                gains = _gains(stored.get(span.value) if isinstance(stored, dict) else None)
                if gains is not None:
                    target[span] = gains
        return ledger


def _gain(last: float | None, reading: float | None) -> tuple[float, float | None]:
    """What a counter gained since ``last``, and the reading to go on from.

    Unknown: nothing gained, the last reading stays. Back (reset or replaced): a new
    segment starts at the reading, the step back adds nothing.
    """
    if reading is None:
        return 0.0, last
    if last is None or reading < last:
        return 0.0, reading
    return reading - last, reading


def _gains_dict(gains: Gains) -> dict[str, Any]:
    return {"period": gains.period, "heat": gains.heat, "electricity": gains.electricity}


def _gains(data: Any) -> Gains | None:
    if not isinstance(data, dict) or not isinstance(data.get("period"), str):
        return None
    heat, electricity = as_number(data.get("heat")), as_number(data.get("electricity"))
    if heat is None or electricity is None:
        return None
    return Gains(data["period"], heat, electricity)
