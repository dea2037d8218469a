"""Climate: the heating circuit (room setpoint, room sensor, operating mode)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import ClimateEntityFeature, HVACMode
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import HeatPumpConfigEntry, HeatPumpCoordinator
from .sources.model import ClimateSpec

PARALLEL_UPDATES = 1
PRESET_NONE = "none"
# Home Assistant 2026.11 names the temperatures native_*; the old names are deprecated there
# (and stop working in 2027.11). Older releases know only the old names.
NATIVE_TEMPERATURES = hasattr(ClimateEntity, "native_current_temperature")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the heating circuit when the source has one."""
    coordinator = entry.runtime_data
    spec = coordinator.source.climate
    if spec is not None:
        async_add_entities([HeatingCircuitClimate(coordinator, spec)])


class HeatingCircuitClimate(CoordinatorEntity[HeatPumpCoordinator], ClimateEntity):
    """Target = room setpoint, current = room sensor, HVAC mode and preset = operating mode."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: HeatPumpCoordinator, spec: ClimateSpec) -> None:
        super().__init__(coordinator)
        self.spec = spec
        self._attr_unique_id = f"{coordinator.device_id}_{spec.key}"
        self._attr_translation_key = spec.translation_key
        self._attr_device_info = coordinator.device_info
        self._attr_hvac_modes = [HVACMode(mode) for mode in spec.hvac_modes]
        self._attr_preset_modes = [PRESET_NONE, *spec.presets]
        target = coordinator.source.points[spec.target_key]
        self._attr_min_temp = target.minimum if target.minimum is not None else 7.0
        self._attr_max_temp = target.maximum if target.maximum is not None else 35.0
        self._attr_target_temperature_step = target.step or 0.5
        features = ClimateEntityFeature.PRESET_MODE
        writable = target.writable and coordinator.source.points[spec.mode_key].writable
        if writable:
            features |= (
                ClimateEntityFeature.TARGET_TEMPERATURE
                | ClimateEntityFeature.TURN_ON
                | ClimateEntityFeature.TURN_OFF
            )
        self._attr_supported_features = features
        self._writable = writable

    @property
    def available(self) -> bool:
        """Available while the setpoint and the mode are known."""
        data = self.coordinator.data or {}
        return super().available and self.spec.target_key in data and self.spec.mode_key in data

    def _get(self, key: str | None) -> Any:
        return (self.coordinator.data or {}).get(key) if key else None

    def _temperature(self, key: str | None) -> float | None:
        value = self._get(key)
        return float(value) if isinstance(value, int | float) else None

    if NATIVE_TEMPERATURES:  # pragma: no cover - Home Assistant 2026.11+, no test harness yet
        _attr_native_temperature_unit = UnitOfTemperature.CELSIUS

        @property
        def native_current_temperature(self) -> float | None:
            """The room sensor in use, if any."""
            return self._temperature(self.spec.current_key)

        @property
        def native_target_temperature(self) -> float | None:
            """The room setpoint."""
            return self._temperature(self.spec.target_key)

    else:
        _attr_temperature_unit = UnitOfTemperature.CELSIUS  # type: ignore[misc,unused-ignore]

        @property  # type: ignore[misc,unused-ignore]
        def current_temperature(self) -> float | None:  # type: ignore[override,unused-ignore]
            """The room sensor in use, if any."""
            return self._temperature(self.spec.current_key)

        @property  # type: ignore[misc,unused-ignore]
        def target_temperature(self) -> float | None:  # type: ignore[override,unused-ignore]
            """The room setpoint."""
            return self._temperature(self.spec.target_key)

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Off, auto, heat or cool; the other operating modes show as auto with a preset."""
        mode = self._get(self.spec.mode_key)
        for hvac_mode, option in self.spec.hvac_modes.items():
            if option == mode:
                return HVACMode(hvac_mode)
        return HVACMode.AUTO if mode in self.spec.presets.values() else None

    @property
    def preset_mode(self) -> str | None:
        """Summer, setback, holiday, party or none."""
        mode = self._get(self.spec.mode_key)
        for preset, option in self.spec.presets.items():
            if option == mode:
                return preset
        return PRESET_NONE

    def _require_writable(self) -> None:
        if not self._writable:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="read_only_mode"
            )

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Write the room setpoint."""
        self._require_writable()
        await self.coordinator.async_write(self.spec.target_key, float(kwargs[ATTR_TEMPERATURE]))

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Write the operating mode that matches the HVAC mode."""
        self._require_writable()
        await self.coordinator.async_write(self.spec.mode_key, self.spec.hvac_modes[hvac_mode])

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Write the operating mode of the preset; "none" returns to automatic."""
        self._require_writable()
        option = self.spec.presets.get(preset_mode, self.spec.hvac_modes[HVACMode.AUTO])
        await self.coordinator.async_write(self.spec.mode_key, option)

    async def async_turn_on(self) -> None:
        """Switch to automatic."""
        await self.async_set_hvac_mode(HVACMode.AUTO)

    async def async_turn_off(self) -> None:
        """Switch the pump off."""
        await self.async_set_hvac_mode(HVACMode.OFF)
