"""Water heater: the hot-water tank (its temperature, setpoint and whether it is charging)."""

from __future__ import annotations

from typing import Any

# 2026.x defines the feature flags in .const and re-exports them without __all__
from homeassistant.components.water_heater import (  # type: ignore[attr-defined,unused-ignore]
    WaterHeaterEntity,
    WaterHeaterEntityFeature,
)
from homeassistant.const import ATTR_TEMPERATURE, STATE_OFF, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .compat import NATIVE_WATER_HEATER_TEMPERATURES
from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .entity import SpecEntity, async_set_points
from .runtime import HeatPumpConfigEntry
from .sources.model import Point, WaterHeaterSpec

PARALLEL_UPDATES = 1
STATE_CHARGING = "charging"
STATE_IDLE = "idle"
# Where a device reports no limits: a range no hot-water tank leaves
FALLBACK_MIN_TEMP = 10.0
FALLBACK_MAX_TEMP = 65.0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One water heater per hot-water tank with a setpoint."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        HeatPumpWaterHeater(coordinator, spec) for spec in coordinator.source.water_heaters
    )


class HeatPumpWaterHeater(SpecEntity[WaterHeaterSpec], WaterHeaterEntity):
    """A hot-water tank: state off / charging / idle, current and target temperature.

    The target is the setpoint point itself, so the setting's own number entity and this
    entity always agree; writes are validated and confirmed like every other write.
    """

    def __init__(self, coordinator: HeatPumpCoordinator, spec: WaterHeaterSpec) -> None:
        super().__init__(coordinator, spec)
        target = self._target_point
        self._attr_target_temperature_step = target.step or 1.0
        if target.writable:
            self._attr_supported_features = WaterHeaterEntityFeature.TARGET_TEMPERATURE

    @property
    def _target_point(self) -> Point:
        """The setpoint as the source describes it now (with the limits the device reports)."""
        return self.coordinator.source.points[self.spec.target_key]

    @property
    def available(self) -> bool:
        """Available while the tank temperature and the setpoint are known."""
        data = self.coordinator.data or {}
        return super().available and self.spec.current_key in data and self.spec.target_key in data

    @property  # type: ignore[misc,unused-ignore]
    def current_operation(self) -> str | None:  # type: ignore[override,unused-ignore]
        """Off while the device is switched off, else charging or idle."""
        if self.spec.mode_key and self._get(self.spec.mode_key) in self.spec.off_options:
            return STATE_OFF
        charging = self._get(self.spec.charging_key)
        if not isinstance(charging, bool):
            return None
        return STATE_CHARGING if charging else STATE_IDLE

    @property
    def native_current_temperature(self) -> float | None:
        """The tank temperature."""
        return self._number(self.spec.current_key)

    @property
    def native_target_temperature(self) -> float | None:
        """The setpoint the device holds."""
        return self._number(self.spec.target_key)

    if NATIVE_WATER_HEATER_TEMPERATURES:  # pragma: no cover - 2026.11+, the smoke stage
        _attr_native_temperature_unit = UnitOfTemperature.CELSIUS
    else:  # older releases read the same values under their old names
        _attr_temperature_unit = UnitOfTemperature.CELSIUS  # type: ignore[misc,unused-ignore]
        current_temperature = native_current_temperature  # type: ignore[assignment,unused-ignore]
        target_temperature = native_target_temperature  # type: ignore[assignment,unused-ignore]

    @property
    def min_temp(self) -> float:
        """The lowest setpoint the device accepts."""
        minimum = self._target_point.minimum
        return minimum if minimum is not None else FALLBACK_MIN_TEMP

    @property
    def max_temp(self) -> float:
        """The highest setpoint the device accepts."""
        maximum = self._target_point.maximum
        return maximum if maximum is not None else FALLBACK_MAX_TEMP

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Write the setpoint; the source refuses values outside the device's limits."""
        if not self._target_point.writable:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="read_only_mode"
            )
        # The service schema requires the temperature.
        await async_set_points(
            self.coordinator, {self.spec.target_key: float(kwargs[ATTR_TEMPERATURE])}
        )
