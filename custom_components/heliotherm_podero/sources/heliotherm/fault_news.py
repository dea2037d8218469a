"""What the pump's fault list holds after the entry told last (PROTOCOL.md 5.5).

The list grows by one entry per fault, index 0 the oldest. Once full it is a ring: its length
stays while its oldest entry drops out for each new one, so the entry told last moves down;
it is looked for among the last ``SEARCH_WINDOW`` entries. A list that was cleared or wrapped
further no longer holds it at all: then it is not replayed, and only the entries later than
the one told last are news.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from ..capabilities import EMPTY_HISTORY, FaultEntry, FaultMark, FaultNews

_LOGGER = logging.getLogger(__name__)

SEARCH_WINDOW = 16  # entries looked through for the one told last, when it moved

type ReadRange = Callable[[int, int], Awaitable[list[FaultEntry]]]


async def fault_news(read: ReadRange, mark: FaultMark | None, count: int) -> FaultNews:
    """The entries after ``mark`` in a list of ``count`` entries (read with ``read``)."""
    if mark is None:  # the first look: its end is where the next one starts
        entries = await read(count - 1, count) if count else []
        return FaultNews([], FaultMark.of(entries[-1]) if entries else EMPTY_HISTORY)
    if mark.code is None:  # the list was empty: all of it is new
        entries = await read(0, count)
        return FaultNews(entries, FaultMark.of(entries[-1]) if entries else mark)
    entries = await read(max(0, min(mark.index, count - 1)), count)
    if not entries or mark.index > count - 1 or FaultMark.of(entries[0]) != mark:
        entries = await read(max(0, count - SEARCH_WINDOW), count)
        seen = [i for i, entry in enumerate(entries) if mark.same_entry(entry)]
        if not seen:
            return _after_reset(entries, mark)
        entries = entries[seen[-1] :]
    if len(entries) == 1:  # nothing new; the entry may have moved down the ring
        return FaultNews([], FaultMark.of(entries[0]))
    return FaultNews(entries[1:], FaultMark.of(entries[-1]))


def _after_reset(entries: list[FaultEntry], mark: FaultMark) -> FaultNews:
    """The list no longer holds the marked entry (cleared, or wrapped past the window).

    What it holds is not replayed: only entries later than the marked one came since.
    """
    newer = [e for e in entries if mark.time is not None and e.time > mark.time]
    _LOGGER.info(
        "The fault list was cleared or wrapped; %d newer entries, none replayed", len(newer)
    )
    if newer:
        return FaultNews(newer, FaultMark.of(newer[-1]))
    return FaultNews([], FaultMark.of(entries[-1]) if entries else EMPTY_HISTORY)
