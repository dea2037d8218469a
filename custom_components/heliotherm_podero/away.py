"""Away mode on a Heliotherm pump: holiday mode from start to end, then the previous mode.

The plan is stored, so it survives a restart: a start or end that passed while Home Assistant
was down is carried out on load.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .sources.heliotherm.points import OPERATING_MODE_KEY

if TYPE_CHECKING:
    from .coordinator import HeatPumpConfigEntry, HeatPumpCoordinator

_LOGGER = logging.getLogger(__name__)
STORAGE_VERSION = 1
HOLIDAY = "holiday"


class AwayPlan(TypedDict):
    """What is stored."""

    start: str
    end: str
    previous_mode: str | None
    active: bool


class AwayModeManager:
    """Schedules, applies and restores away mode for one pump."""

    def __init__(
        self, hass: HomeAssistant, entry: HeatPumpConfigEntry, coordinator: HeatPumpCoordinator
    ) -> None:
        self.hass = hass
        self.coordinator = coordinator
        self._store: Store[AwayPlan] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.away.{entry.entry_id}"
        )
        self.plan: AwayPlan | None = None
        self._unsub: CALLBACK_TYPE | None = None

    async def async_load(self) -> None:
        """Load a stored plan and catch up on what is due."""
        self.plan = await self._store.async_load()
        await self._async_step()

    async def async_set(self, start: datetime, end: datetime) -> None:
        """Plan away mode from ``start`` to ``end`` (aware datetimes)."""
        if end <= start or end <= dt_util.utcnow():
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="invalid_away_period"
            )
        if self.coordinator.source.read_only:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="read_only_mode"
            )
        previous = self.plan["previous_mode"] if self.plan and self.plan["active"] else None
        self.plan = AwayPlan(
            start=dt_util.as_utc(start).isoformat(),
            end=dt_util.as_utc(end).isoformat(),
            previous_mode=previous,
            active=bool(self.plan and self.plan["active"]),
        )
        await self._store.async_save(self.plan)
        await self._async_step()

    async def async_clear(self) -> None:
        """Cancel the plan; restore the previous mode if away mode is on."""
        plan = self.plan
        if plan is not None and plan["active"]:
            await self._restore(plan)
        self.plan = None
        self.async_unschedule()
        await self._store.async_remove()

    @callback
    def async_unschedule(self) -> None:
        """Stop the timer (on unload)."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    async def _async_step(self) -> None:
        """Do what is due now and schedule the next step."""
        self.async_unschedule()
        plan = self.plan
        if plan is None:
            return
        now = dt_util.utcnow()
        start, end = datetime.fromisoformat(plan["start"]), datetime.fromisoformat(plan["end"])
        try:
            if now >= end:
                if plan["active"]:
                    await self._restore(plan)
                self.plan = None
                await self._store.async_remove()
                return
            if now >= start and not plan["active"]:
                current = (self.coordinator.data or {}).get(OPERATING_MODE_KEY)
                plan["previous_mode"] = current if isinstance(current, str) else "automatic"
                await self.coordinator.async_write(OPERATING_MODE_KEY, HOLIDAY)
                plan["active"] = True
                await self._store.async_save(plan)
        except HomeAssistantError as err:
            # The pump is unreachable: try again in a minute rather than losing the plan.
            _LOGGER.warning("Away mode step failed, retrying in one minute: %s", err)
            self._schedule(now.replace(microsecond=0) + _RETRY)
            return
        self._schedule(end if plan["active"] else start)

    def _schedule(self, when: datetime) -> None:
        @callback
        def _due(_: Any) -> None:
            self._unsub = None
            self.hass.async_create_task(self._async_step(), eager_start=True)

        self._unsub = async_track_point_in_utc_time(self.hass, _due, when)

    async def _restore(self, plan: AwayPlan) -> None:
        current = (self.coordinator.data or {}).get(OPERATING_MODE_KEY)
        if current == HOLIDAY and plan["previous_mode"]:
            await self.coordinator.async_write(OPERATING_MODE_KEY, plan["previous_mode"])


_RETRY = timedelta(minutes=1)
