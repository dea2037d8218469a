"""Climate: a heating circuit (Heliotherm) or a zone (Aris), each described by a ClimateSpec."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoredExtraData, RestoreEntity

from .compat import NATIVE_CLIMATE_TEMPERATURES
from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .entity import SpecEntity, async_set_points
from .runtime import HeatPumpConfigEntry
from .sources.model import ClimateSpec, Value

PARALLEL_UPDATES = 1
PRESET_NONE = "none"
LAST_ON_MODE = "last_on_mode"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One climate per heating circuit or zone; zones that appear later are added then."""
    coordinator = entry.runtime_data.coordinator
    added: set[str] = set()

    @callback
    def _add_new() -> None:
        specs = {spec.unique_id: spec for spec in coordinator.source.climates}
        added.intersection_update(specs)  # a zone that comes back gets a new entity
        new = [spec for unique_id, spec in specs.items() if unique_id not in added]
        added.update(spec.unique_id for spec in new)
        if new:
            async_add_entities(HeatPumpClimate(coordinator, spec) for spec in new)

    _add_new()
    entry.async_on_unload(coordinator.async_add_listener(_add_new))


class HeatPumpClimate(SpecEntity[ClimateSpec], RestoreEntity, ClimateEntity):
    """A heating circuit or zone: targets, current temperature and humidity, modes, action."""

    def __init__(self, coordinator: HeatPumpCoordinator, spec: ClimateSpec) -> None:
        super().__init__(coordinator, spec)
        points = coordinator.source.points
        self._attr_hvac_modes = [
            HVACMode(mode) for mode in spec.hvac_modes if not (spec.fixed_mode and mode == "off")
        ]
        limits = points[spec.heat_target_key or spec.target_key or spec.cool_target_key or ""]
        self._attr_min_temp = limits.minimum if limits.minimum is not None else 7.0
        self._attr_max_temp = limits.maximum if limits.maximum is not None else 35.0
        self._attr_target_temperature_step = limits.step or 0.5
        targets_writable = points[spec.mode_key].writable
        mode_writable = targets_writable and not spec.fixed_mode
        range_writable = bool(
            spec.heat_target_key
            and spec.cool_target_key
            and points[spec.heat_target_key].writable
            and points[spec.cool_target_key].writable
        )
        single_keys = (
            [spec.target_key]
            if spec.target_key
            else [k for k in (spec.heat_target_key, spec.cool_target_key) if k]
        )
        single_writable = bool(single_keys) and all(points[k].writable for k in single_keys)
        features = ClimateEntityFeature(0)
        if spec.presets:
            self._attr_preset_modes = [PRESET_NONE, *spec.presets]
            features |= ClimateEntityFeature.PRESET_MODE
        # A read-only single target (Podero's indoor target) is shown beside a writable range.
        if targets_writable and (single_writable or range_writable):
            features |= ClimateEntityFeature.TARGET_TEMPERATURE
        if targets_writable and range_writable:
            features |= ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
        if mode_writable and HVACMode.OFF in spec.hvac_modes and len(spec.hvac_modes) > 1:
            features |= ClimateEntityFeature.TURN_ON | ClimateEntityFeature.TURN_OFF
        self._attr_supported_features = features
        self._writable = targets_writable
        self._mode_writable = mode_writable
        self._last_on_mode: HVACMode | None = None  # what turn_on returns to

    @property
    def available(self) -> bool:
        """Available while the mode is known (and a single target, where there is one)."""
        data = self.coordinator.data or {}
        needed = [self.spec.mode_key, *([self.spec.target_key] if self.spec.target_key else [])]
        return super().available and all(key in data for key in needed)

    def _switch_on(self, key: str | None) -> bool:
        """A switch the spec may name: on, or not named at all."""
        return key is None or self._get(key) is True

    def _setpoints_shown(self) -> bool:
        """The heat and cool setpoints apply: in the range mode, while its switch is on."""
        spec = self.spec
        return bool(
            spec.heat_target_key
            and spec.cool_target_key
            and self.hvac_mode == spec.range_mode
            and self._switch_on(spec.range_switch_key)
        )

    def _range_active(self) -> bool:
        """The two setpoints show as a range, unless the device does not cool."""
        return self._setpoints_shown() and self._switch_on(self.spec.cooling_key)

    def _single_target_key(self) -> str | None:
        """The setpoint a single target means now: the only one, or the mode's."""
        if self._setpoints_shown():
            if self._switch_on(self.spec.cooling_key):
                return None  # a range
            return self.spec.heat_target_key  # heating only: the lower setpoint alone
        if self.spec.target_key:
            return self.spec.target_key
        mode = self.hvac_mode
        if mode is HVACMode.HEAT:
            return self.spec.heat_target_key
        if mode is HVACMode.COOL:
            return self.spec.cool_target_key
        return None

    def _range_key(self, key: str | None) -> str | None:
        return key if self._range_active() else None

    if NATIVE_CLIMATE_TEMPERATURES:  # pragma: no cover - 2026.11+, tested by the smoke stage
        _attr_native_temperature_unit = UnitOfTemperature.CELSIUS

        @property
        def native_current_temperature(self) -> float | None:
            """The room temperature, if measured."""
            return self._number(self.spec.current_key)

        @property
        def native_target_temperature(self) -> float | None:
            """The setpoint of the current mode."""
            return self._number(self._single_target_key())

        @property
        def native_target_temperature_low(self) -> float | None:
            """The heating setpoint while heating and cooling."""
            return self._number(self._range_key(self.spec.heat_target_key))

        @property
        def native_target_temperature_high(self) -> float | None:
            """The cooling setpoint while heating and cooling."""
            return self._number(self._range_key(self.spec.cool_target_key))

    else:
        _attr_temperature_unit = UnitOfTemperature.CELSIUS  # type: ignore[misc,unused-ignore]

        @property  # type: ignore[misc,unused-ignore]
        def current_temperature(self) -> float | None:  # type: ignore[override,unused-ignore]
            """The room temperature, if measured."""
            return self._number(self.spec.current_key)

        @property  # type: ignore[misc,unused-ignore]
        def target_temperature(self) -> float | None:  # type: ignore[override,unused-ignore]
            """The setpoint of the current mode."""
            return self._number(self._single_target_key())

        @property  # type: ignore[misc,unused-ignore]
        def target_temperature_low(self) -> float | None:  # type: ignore[override,unused-ignore]
            """The heating setpoint while heating and cooling."""
            return self._number(self._range_key(self.spec.heat_target_key))

        @property  # type: ignore[misc,unused-ignore]
        def target_temperature_high(self) -> float | None:  # type: ignore[override,unused-ignore]
            """The cooling setpoint while heating and cooling."""
            return self._number(self._range_key(self.spec.cool_target_key))

    @property
    def current_humidity(self) -> float | None:
        """The room's relative humidity, if measured."""
        return self._number(self.spec.humidity_key)

    @property
    def hvac_mode(self) -> HVACMode | None:
        """The mode point's option as an HVAC mode; a preset's option shows as auto."""
        mode = self._get(self.spec.mode_key)
        for hvac_mode, option in self.spec.hvac_modes.items():
            if option == mode:
                return HVACMode(hvac_mode)
        return HVACMode.AUTO if mode in self.spec.presets.values() else None

    @property
    def hvac_action(self) -> HVACAction | None:
        """What the zone calls for now, where the source says it."""
        action = self.spec.actions.get(str(self._get(self.spec.action_key)))
        return HVACAction(action) if action else None

    @property
    def preset_mode(self) -> str | None:
        """The preset whose option the mode point holds, else none."""
        if not self.spec.presets:
            return None
        mode = self._get(self.spec.mode_key)
        for preset, option in self.spec.presets.items():
            if option == mode:
                return preset
        return PRESET_NONE

    def _require_writable(self, *, mode: bool = False) -> None:
        if mode and self.spec.fixed_mode:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="hvac_mode_fixed"
            )
        if not (self._mode_writable if mode else self._writable):
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="read_only_mode"
            )

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Write the setpoint(s) the call gives; the source validates them together."""
        self._require_writable()
        values: dict[str, Value] = {}
        if (low := kwargs.get(ATTR_TARGET_TEMP_LOW)) is not None and (
            high := kwargs.get(ATTR_TARGET_TEMP_HIGH)
        ) is not None:
            if not (self.spec.heat_target_key and self.spec.cool_target_key):
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="no_target_range"
                )
            values = {self.spec.heat_target_key: float(low), self.spec.cool_target_key: float(high)}
        elif (temperature := kwargs.get(ATTR_TEMPERATURE)) is not None:
            key = self._single_target_key()
            if key is None:
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="no_single_target"
                )
            if not self.coordinator.source.points[key].writable:
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="target_shown_only"
                )
            values = {key: float(temperature)}
        if (hvac_mode := kwargs.get(ATTR_HVAC_MODE)) is not None:
            await self.async_set_hvac_mode(HVACMode(hvac_mode))
        if values:
            await async_set_points(self.coordinator, values)

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Write the mode point's option for the HVAC mode."""
        self._require_writable(mode=True)
        if hvac_mode not in self.spec.hvac_modes:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_option",
                translation_placeholders={
                    "value": str(hvac_mode),
                    "options": ", ".join(self.spec.hvac_modes),
                },
            )
        await async_set_points(
            self.coordinator, {self.spec.mode_key: self.spec.hvac_modes[hvac_mode]}
        )

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Write the operating mode of the preset; "none" returns to automatic."""
        self._require_writable(mode=True)
        option = self.spec.presets.get(preset_mode, self.spec.hvac_modes[HVACMode.AUTO])
        await async_set_points(self.coordinator, {self.spec.mode_key: option})

    async def async_added_to_hass(self) -> None:
        """Take up the mode that turn_on returns to (kept across restarts)."""
        await super().async_added_to_hass()
        stored = await self.async_get_last_extra_data()
        if stored is not None:
            self._remember_on_mode(stored.as_dict().get(LAST_ON_MODE))
        self._remember_on_mode(self.hvac_mode if self.available else None)

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Renamed in place (2026.11+): nothing here is keyed by the entity ID."""

    @callback
    def _handle_coordinator_update(self) -> None:
        self._remember_on_mode(self.hvac_mode if self.available else None)
        super()._handle_coordinator_update()

    def _remember_on_mode(self, mode: Any) -> None:
        """Keep ``mode`` (shown now, or restored) as what turn_on returns to, unless off."""
        if isinstance(mode, str) and mode != HVACMode.OFF and mode in self.spec.hvac_modes:
            self._last_on_mode = HVACMode(mode)

    @property
    def extra_restore_state_data(self) -> RestoredExtraData | None:
        """The mode before the last switch-off."""
        if self._last_on_mode is None:
            return None
        return RestoredExtraData({LAST_ON_MODE: self._last_on_mode.value})

    async def async_turn_on(self) -> None:
        """Return to the mode it had before it was switched off.

        Without one seen yet: the first of automatic, heat/cool, heat, cool the circuit knows.
        """
        if self._last_on_mode is not None:
            await self.async_set_hvac_mode(self._last_on_mode)
            return
        for mode in (HVACMode.AUTO, HVACMode.HEAT_COOL, HVACMode.HEAT, HVACMode.COOL):
            if mode in self.spec.hvac_modes:
                await self.async_set_hvac_mode(mode)
                return

    async def async_turn_off(self) -> None:
        """Switch off."""
        await self.async_set_hvac_mode(HVACMode.OFF)
