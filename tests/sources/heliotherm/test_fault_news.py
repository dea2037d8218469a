"""The pump's fault list after the entry told last: the ring-buffer rule, beside the protocol."""

from __future__ import annotations

from datetime import datetime, timedelta

from custom_components.heliotherm_podero.sources.capabilities import (
    EMPTY_HISTORY,
    FaultEntry,
    FaultMark,
)
from custom_components.heliotherm_podero.sources.heliotherm.fault_news import fault_news

START = datetime(2026, 1, 1, 8, 0)


def faults(*codes: int, start: int = 0, first: datetime = START) -> list[FaultEntry]:
    return [
        FaultEntry(index, code, first + timedelta(hours=index - start), f"F{code}")
        for index, code in enumerate(codes, start=start)
    ]


def reader(entries: list[FaultEntry]):  # type: ignore[no-untyped-def]
    async def read(start: int, end: int) -> list[FaultEntry]:
        return [e for e in entries if start <= e.index < end]

    return read


async def test_the_first_look_tells_nothing_and_marks_the_end() -> None:
    listed = faults(9, 21, 19)
    news = await fault_news(reader(listed), None, 3)
    assert news.entries == []
    assert news.mark == FaultMark.of(listed[-1])
    empty = await fault_news(reader([]), None, 0)
    assert empty.mark == EMPTY_HISTORY


async def test_entries_after_the_mark_are_news_in_order() -> None:
    listed = faults(9, 21, 19, 20)
    news = await fault_news(reader(listed), FaultMark.of(listed[1]), 4)
    assert [e.code for e in news.entries] == [19, 20]
    assert news.mark == FaultMark.of(listed[-1])
    all_new = await fault_news(reader(listed[:2]), EMPTY_HISTORY, 2)
    assert [e.code for e in all_new.entries] == [9, 21]


async def test_a_full_ring_that_dropped_its_oldest_entry_still_tells_the_new_one() -> None:
    before = faults(1, 2, 3, 4)
    told = FaultMark.of(before[-1])  # index 3
    after = [
        FaultEntry(i, e.code, e.time, e.message)
        for i, e in enumerate([*before[1:], *faults(5, start=4)])
    ]  # same length, the oldest gone: the told entry moved to index 2
    news = await fault_news(reader(after), told, 4)
    assert [e.code for e in news.entries] == [5]


async def test_a_reset_list_is_not_replayed_but_later_entries_are_news() -> None:
    before = faults(1, 2, 3)
    told = FaultMark.of(before[-1])
    old = faults(7, 8, first=START - timedelta(days=30))  # a list of older entries
    assert (await fault_news(reader(old), told, 2)).entries == []
    reset = faults(9, 21, first=START + timedelta(days=1))  # cleared, then two faults
    news = await fault_news(reader(reset), told, 2)
    assert [e.code for e in news.entries] == [9, 21]
    assert news.mark == FaultMark.of(reset[-1])
