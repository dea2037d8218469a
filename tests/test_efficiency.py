"""The COP per day, month and season: the pure bookkeeping behind the sensors."""

from __future__ import annotations

from datetime import date

import pytest

from custom_components.heliotherm_podero.efficiency import (
    Gains,
    Ledger,
    Span,
    period_of,
    previous_period,
)

MONDAY = date(2026, 11, 23)


def test_the_running_periods_gain_what_the_counters_gained() -> None:
    ledger = Ledger(season_start=7)
    ledger.update(MONDAY, 100.0, 30.0)  # the first readings: where counting starts
    assert ledger.ratio(Span.DAY) is None
    ledger.update(MONDAY, 100.3, 30.05)
    assert ledger.ratio(Span.DAY) is None  # 0.05 kWh of electricity: too little to tell
    ledger.update(MONDAY, 108.0, 32.0)
    assert ledger.ratio(Span.DAY) == 4.0
    assert ledger.ratio(Span.MONTH) == 4.0  # 2 kWh of electricity: enough for a month
    ledger.update(MONDAY, 111.5, 33.0)
    assert ledger.ratio(Span.DAY) == pytest.approx(3.83)
    assert ledger.ratio(Span.MONTH) == pytest.approx(3.83)  # 3 kWh of electricity
    assert ledger.ratio(Span.SEASON) == pytest.approx(3.83)


def test_a_month_and_a_season_need_1_kwh_of_electricity() -> None:
    ledger = Ledger(season_start=7)
    ledger.update(MONDAY, 0.0, 0.0)
    ledger.update(MONDAY, 3.6, 0.9)
    assert ledger.ratio(Span.DAY) == 4.0
    assert ledger.ratio(Span.MONTH) is None
    assert ledger.ratio(Span.SEASON) is None


def test_a_counter_that_goes_back_starts_a_new_segment_never_a_negative_or_a_spike() -> None:
    ledger = Ledger(season_start=7)
    ledger.update(MONDAY, 100.0, 30.0)
    ledger.update(MONDAY, 108.0, 32.0)  # 8 for 2
    ledger.update(MONDAY, 2.0, 0.5)  # both meters reset: the period keeps its 8 for 2
    assert ledger.ratio(Span.DAY) == 4.0
    ledger.update(MONDAY, 5.0, 1.5)  # and adds the new segment's 3 for 1
    assert ledger.ratio(Span.DAY) == pytest.approx(3.67)
    ledger.update(MONDAY, 5.0, 900.0)  # a replaced meter reading far ahead: a spike? no:
    ledger.update(MONDAY, 5.0, 899.0)  # back again: a new segment, nothing added
    running = ledger.running[Span.DAY]
    assert running.heat == 11.0
    assert running.electricity == pytest.approx(3.0 + 898.5)
    assert running.heat >= 0 and running.electricity >= 0


def test_an_unknown_reading_adds_nothing_and_the_gain_counts_once_it_is_back() -> None:
    ledger = Ledger(season_start=7)
    ledger.update(MONDAY, 100.0, 30.0)
    ledger.update(MONDAY, None, None)  # the meter unavailable
    ledger.update(MONDAY, 104.0, None)
    ledger.update(MONDAY, 108.0, 32.0)  # back: what it gained meanwhile counts
    assert ledger.running[Span.DAY] == Gains("2026-11-23", 8.0, 2.0)


@pytest.mark.parametrize(
    ("day", "span", "period", "previous"),
    [
        (date(2026, 3, 1), Span.DAY, "2026-03-01", "2026-02-28"),
        (date(2026, 1, 31), Span.MONTH, "2026-01", "2025-12"),
        (date(2026, 7, 1), Span.SEASON, "2026-07/season", "2025-07/season"),
        (date(2026, 6, 30), Span.SEASON, "2025-07/season", "2024-07/season"),
    ],
)
def test_periods(day: date, span: Span, period: str, previous: str) -> None:
    assert period_of(span, day, 7) == period
    assert previous_period(span, day, 7) == previous


def test_a_season_can_start_in_any_month() -> None:
    assert period_of(Span.SEASON, date(2026, 9, 30), 10) == "2025-10/season"
    assert period_of(Span.SEASON, date(2026, 10, 1), 10) == "2026-10/season"
    assert period_of(Span.SEASON, date(2026, 1, 1), 1) == "2026-01/season"


def test_at_a_turn_the_period_that_ended_becomes_the_last_one() -> None:
    ledger = Ledger(season_start=7)
    ledger.update(date(2026, 6, 30), 100.0, 30.0)
    ledger.update(date(2026, 6, 30), 112.0, 33.0)  # 12 for 3
    ledger.turn(date(2026, 7, 1))  # midnight, a month end, the season's start
    for span in Span:
        assert ledger.ratio(span, last=True) == 4.0
        assert ledger.ratio(span) is None
    ledger.turn(date(2026, 7, 3))  # a day with no reading at all between
    assert ledger.ratio(Span.DAY, last=True) is None  # yesterday was not counted
    assert ledger.ratio(Span.MONTH, last=True) == 4.0


def test_a_stored_ledger_round_trips_and_junk_is_left_out() -> None:
    ledger = Ledger(season_start=7)
    ledger.update(MONDAY, 100.0, 30.0)
    ledger.update(MONDAY, 108.0, 32.0)
    ledger.turn(date(2026, 11, 24))
    again = Ledger.from_dict(ledger.as_dict(), 7)
    assert again.as_dict() == ledger.as_dict()
    junk = Ledger.from_dict({"heat": "x", "running": {"day": {"period": 1}}, "last": []}, 7)
    assert junk.heat is None and junk.running == {} and junk.last == {}
