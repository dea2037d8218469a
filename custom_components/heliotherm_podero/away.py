"""Away mode on a Heliotherm pump: holiday mode from start to end, then the previous mode.

The plan is stored, so it survives a restart: a start or end that passed while Home Assistant
was down is carried out on load. The mode to restore is read from the pump once, before the
first holiday write, and never replaced; each write is a command made against the mode the
plan saw (a compare-and-set), so a mode the owner chose meanwhile is never overwritten. A
link fault is retried every minute; a refusal that retrying cannot cure (read-only mode, the
pump refuses the point) stops the plan and raises a repair issue in which the owner keeps or
drops it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, NotRequired, TypedDict

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .errors import source_error_of, translate_source_error, translated_errors
from .sources.capabilities import AwayMode
from .sources.commands import PointChanged, WritePoints
from .sources.model import CommunicationError, SourceError

_LOGGER = logging.getLogger(__name__)
STORAGE_VERSION = 1
AWAY_ISSUE = "away_mode_failed"
MAX_AWAY_PERIOD = timedelta(days=366)
_RETRY = timedelta(minutes=1)


class AwayPlan(TypedDict):
    """What is stored."""

    start: str
    end: str
    previous_mode: str | None  # read from the pump once, before the first holiday write
    active: bool  # the pump confirmed holiday mode
    failed: NotRequired[bool]  # stopped: waits for the owner's choice in the repair issue


def away_issue_id(entry_id: str) -> str:
    """One away-mode issue per pump."""
    return f"{AWAY_ISSUE}_{entry_id}"


def normalise_period(start: datetime | None, end: datetime) -> tuple[datetime, datetime]:
    """Aware UTC start and end; naive times are Home Assistant's local time.

    Refused with a translated error: end not after start or not in the future, a period longer
    than MAX_AWAY_PERIOD, dates that cannot be represented (year 9999 and the like).
    """
    zone = dt_util.get_default_time_zone()
    try:
        begin = start or dt_util.now()
        begin = dt_util.as_utc(begin if begin.tzinfo else begin.replace(tzinfo=zone))
        finish = dt_util.as_utc(end if end.tzinfo else end.replace(tzinfo=zone))
        too_long = finish - dt_util.utcnow() > MAX_AWAY_PERIOD
    except (OverflowError, ValueError) as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="invalid_away_period"
        ) from err
    if finish <= begin or finish <= dt_util.utcnow():
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="invalid_away_period"
        )
    if too_long:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="away_period_too_long",
            translation_placeholders={"days": str(MAX_AWAY_PERIOD.days)},
        )
    return begin, finish


class AwayModeManager:
    """Schedules, applies and restores away mode for one pump."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        coordinator: HeatPumpCoordinator,
        away: AwayMode,
    ) -> None:
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.mode_key = away.away_mode_key
        self.away_option = away.away_option
        self.home_option = away.home_option
        self._store: Store[AwayPlan] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.away.{entry.entry_id}"
        )
        self.plan: AwayPlan | None = None
        self._unsub: CALLBACK_TYPE | None = None
        self._link_down_logged = False

    async def async_load(self) -> None:
        """Load a stored plan and catch up on what is due (unless it waits for the owner)."""
        self.plan = await self._store.async_load()
        if self.plan is not None and not self.plan.get("failed", False):
            await self._async_step()

    async def async_set(self, start: datetime, end: datetime) -> None:
        """Plan away mode from ``start`` to ``end`` (aware UTC datetimes, validated).

        A refusal while starting now is raised to the caller and the plan is not kept.
        """
        if self.coordinator.source.read_only:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="read_only_mode"
            )
        previous = self.plan
        self.plan = AwayPlan(
            start=start.isoformat(),
            end=end.isoformat(),
            previous_mode=previous["previous_mode"] if previous else None,
            active=previous["active"] if previous else False,
        )
        ir.async_delete_issue(self.hass, DOMAIN, away_issue_id(self.entry.entry_id))
        await self._store.async_save(self.plan)
        error = await self._async_step(report=False)
        if error is not None:
            await self._async_drop()
            raise translate_source_error(error) from error

    async def async_clear(self) -> None:
        """Cancel the plan; restore the previous mode if the plan changed it."""
        plan = self.plan
        if plan is not None and (plan["active"] or plan["previous_mode"]):
            with translated_errors():
                await self._restore(plan)
        await self._async_drop()

    async def async_retry(self) -> None:
        """The owner keeps a stopped plan: carry it out again now."""
        if self.plan is not None:
            self.plan.pop("failed", None)
            await self._store.async_save(self.plan)
            await self._async_step()

    async def async_discard(self) -> None:
        """The owner drops a stopped plan: forget it without writing anything."""
        await self._async_drop()

    @callback
    def async_unschedule(self) -> None:
        """Stop the timer (on unload)."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    async def _async_drop(self) -> None:
        self.plan = None
        self.async_unschedule()
        ir.async_delete_issue(self.hass, DOMAIN, away_issue_id(self.entry.entry_id))
        await self._store.async_remove()

    async def _async_step(self, *, report: bool = True) -> SourceError | None:
        """Do what is due now and schedule the next step.

        A refusal that retrying cannot cure is returned; with ``report`` it also stops the
        plan and raises the repair issue.
        """
        self.async_unschedule()
        plan = self.plan
        if plan is None:
            return None
        now = dt_util.utcnow()
        start, end = datetime.fromisoformat(plan["start"]), datetime.fromisoformat(plan["end"])
        try:
            if now >= end:
                if plan["active"] or plan["previous_mode"]:
                    await self._restore(plan)
                await self._async_drop()
                return None
            if now >= start and not plan["active"]:
                await self._enter_holiday(plan)
        except CommunicationError as err:
            self._log_link_down(err)
            self._schedule(now.replace(microsecond=0) + _RETRY)
            return None
        except SourceError as err:
            if report:
                await self._async_fail(plan, err)
            return err
        if self._link_down_logged:
            _LOGGER.info("Away mode of %s carried out after the link came back", self.entry.title)
            self._link_down_logged = False
        self._schedule(end if plan["active"] else start)
        return None

    async def _enter_holiday(self, plan: AwayPlan) -> None:
        """Holiday mode, written while the pump holds the mode recorded to go back to."""
        for _ in range(3):  # the owner may change the mode between reading and writing
            previous = plan["previous_mode"]
            if previous is None:
                current = await self.coordinator.async_read_point(self.mode_key)
                previous = current if isinstance(current, str) else self.home_option
                plan["previous_mode"] = previous
                await self._store.async_save(plan)  # before the write: a lost reply keeps it
            seen = {self.mode_key: previous}
            try:
                await self._switch(self.away_option, seen)
            except PointChanged as changed:
                if changed.reported != self.away_option:
                    plan["previous_mode"] = None  # the owner chose another mode: record it
                    continue
            plan["active"] = True  # confirmed, or the pump was in holiday mode already
            await self._store.async_save(plan)
            return

    async def _restore(self, plan: AwayPlan) -> None:
        """Back to the recorded mode, unless the owner has left holiday mode meanwhile."""
        previous = plan["previous_mode"]
        if not previous or previous == self.away_option:
            return
        try:
            await self._switch(previous, {self.mode_key: self.away_option})
        except PointChanged:
            return  # the owner has chosen a mode since: theirs stays

    async def _switch(self, option: str, seen: dict[str, str]) -> None:
        """Write the mode while the pump holds ``seen``; refusals come as source errors."""
        try:
            await self.coordinator.async_command(WritePoints({self.mode_key: option}, seen))
        except HomeAssistantError as err:
            if (cause := source_error_of(err)) is not None:
                raise cause from None  # the away plan decides by the source's own error
            raise

    def _log_link_down(self, err: SourceError) -> None:
        if self._link_down_logged:
            _LOGGER.debug("Away mode step failed again, retrying in one minute: %s", err)
            return
        self._link_down_logged = True
        _LOGGER.warning(
            "Away mode of %s waits for the heat pump, retrying every minute: %s",
            self.entry.title,
            err,
        )

    async def _async_fail(self, plan: AwayPlan, err: SourceError) -> None:
        """Stop retrying, keep the plan stored and ask the owner."""
        plan["failed"] = True
        await self._store.async_save(plan)
        _LOGGER.warning("Away mode of %s cannot be carried out: %s", self.entry.title, err)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            away_issue_id(self.entry.entry_id),
            is_fixable=True,
            severity=ir.IssueSeverity.ERROR,
            translation_key=AWAY_ISSUE,
            translation_placeholders={
                "title": self.entry.title,
                "error": str(translate_source_error(err)),
            },
            data={"entry_id": self.entry.entry_id},
        )

    def _schedule(self, when: datetime) -> None:
        @callback
        def _due(_: Any) -> None:
            self._unsub = None
            self.hass.async_create_task(self._async_step(), eager_start=True)

        self._unsub = async_track_point_in_utc_time(self.hass, _due, when)
