"""What every kind of climate shares: temperatures, modes, presets, actions, turning on.

A kind (``climate_kinds``) says which HVAC mode is which value of its mode point, its
presets and actions, its setpoints and in which mode they form a range; the base reads and
writes through that.
"""

from __future__ import annotations

from typing import Any, ClassVar

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
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.restore_state import RestoredExtraData, RestoreEntity

from .compat import NATIVE_CLIMATE_TEMPERATURES
from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .entity import SpecEntity, async_set_points
from .sources.model import ClimateSpec, Value

PRESET_NONE = "none"
LAST_ON_MODE = "last_on_mode"


class HeatPumpClimate[S: ClimateSpec](SpecEntity[S], RestoreEntity, ClimateEntity):
    """What every kind of climate shares: targets, temperature and humidity, modes, action."""

    presets: ClassVar[dict[str, str]] = {}  # preset -> value of the mode point
    actions: ClassVar[dict[str, HVACAction]] = {}  # value of the action point -> action
    range_mode: ClassVar[HVACMode | None] = None  # the mode in which the setpoints are a range
    fixed: ClassVar[bool] = False  # the mode is shown, never set (a setting of the installation)

    def hvac_options(self) -> dict[HVACMode, Value]:
        """Each HVAC mode of this climate and the mode point's value for it."""
        raise NotImplementedError

    @property
    def target_key(self) -> str | None:
        """The one setpoint, where the climate has one."""
        return None

    @property
    def heat_key(self) -> str | None:
        """The heating setpoint (the range's lower end)."""
        return None

    @property
    def cool_key(self) -> str | None:
        """The cooling setpoint (the range's upper end)."""
        return None

    def _band_on(self) -> bool:
        """Whether the two setpoints apply now (in the range mode)."""
        return True

    def _cooling_on(self) -> bool:
        """Whether the upper setpoint applies (else the lower one is the single target)."""
        return True

    def __init__(self, coordinator: HeatPumpCoordinator, spec: S) -> None:
        super().__init__(coordinator, spec)
        points = coordinator.source.points
        self._hvac = hvac = self.hvac_options()
        self._attr_hvac_modes = [mode for mode in hvac if not (self.fixed and mode == HVACMode.OFF)]
        limits = points[self.heat_key or self.target_key or self.cool_key or ""]
        self._attr_min_temp = limits.minimum if limits.minimum is not None else 7.0
        self._attr_max_temp = limits.maximum if limits.maximum is not None else 35.0
        self._attr_target_temperature_step = limits.step or 0.5
        targets_writable = points[spec.mode_key].writable
        mode_writable = targets_writable and not self.fixed
        heat, cool = self.heat_key, self.cool_key
        range_writable = bool(heat and cool and points[heat].writable and points[cool].writable)
        single_keys = [self.target_key] if self.target_key else [k for k in (heat, cool) if k]
        single_writable = bool(single_keys) and all(points[k].writable for k in single_keys)
        features = ClimateEntityFeature(0)
        if self.presets:
            self._attr_preset_modes = [PRESET_NONE, *self.presets]
            features |= ClimateEntityFeature.PRESET_MODE
        # A read-only single target (Podero's indoor target) is shown beside a writable range.
        if targets_writable and (single_writable or range_writable):
            features |= ClimateEntityFeature.TARGET_TEMPERATURE
        if targets_writable and range_writable:
            features |= ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
        if mode_writable and HVACMode.OFF in hvac and len(hvac) > 1:
            features |= ClimateEntityFeature.TURN_ON | ClimateEntityFeature.TURN_OFF
        self._attr_supported_features = features
        self._writable = targets_writable
        self._mode_writable = mode_writable
        self._last_on_mode: HVACMode | None = None  # what turn_on returns to

    @property
    def available(self) -> bool:
        """Available while the mode is known (and a single target, where there is one)."""
        data = self.coordinator.data or {}
        needed = [self.spec.mode_key, *([self.target_key] if self.target_key else [])]
        return super().available and all(key in data for key in needed)

    def _switch_on(self, key: str | None) -> bool:
        """A switch a spec may name: on, or not named at all."""
        return key is None or self._get(key) is True

    def _setpoints_shown(self) -> bool:
        """The heat and cool setpoints apply: in the range mode, while the band is on."""
        return bool(
            self.heat_key
            and self.cool_key
            and self.range_mode is not None
            and self.hvac_mode == self.range_mode
            and self._band_on()
        )

    def _range_active(self) -> bool:
        """The two setpoints show as a range, unless the device does not cool."""
        return self._setpoints_shown() and self._cooling_on()

    def _single_target_key(self) -> str | None:
        """The setpoint a single target means now: the only one, or the mode's."""
        if self._setpoints_shown():
            if self._cooling_on():
                return None  # a range
            return self.heat_key  # heating only: the lower setpoint alone
        if self.target_key:
            return self.target_key
        mode = self.hvac_mode
        if mode is HVACMode.HEAT:
            return self.heat_key
        if mode is HVACMode.COOL:
            return self.cool_key
        return None

    def _range_key(self, key: str | None) -> str | None:
        return key if self._range_active() else None

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
        return self._number(self._range_key(self.heat_key))

    @property
    def native_target_temperature_high(self) -> float | None:
        """The cooling setpoint while heating and cooling."""
        return self._number(self._range_key(self.cool_key))

    if NATIVE_CLIMATE_TEMPERATURES:  # pragma: no cover - 2026.11+, tested by the smoke stage
        _attr_native_temperature_unit = UnitOfTemperature.CELSIUS
    else:  # older releases read the same values under their old names
        _attr_temperature_unit = UnitOfTemperature.CELSIUS  # type: ignore[misc,unused-ignore]
        current_temperature = native_current_temperature  # type: ignore[assignment,unused-ignore]
        target_temperature = native_target_temperature  # type: ignore[assignment,unused-ignore]
        target_temperature_low = native_target_temperature_low  # type: ignore[assignment,unused-ignore]
        target_temperature_high = native_target_temperature_high  # type: ignore[assignment,unused-ignore]

    @property
    def current_humidity(self) -> float | None:
        """The room's relative humidity, if measured."""
        return self._number(self.spec.humidity_key)

    @property
    def hvac_mode(self) -> HVACMode | None:
        """The mode point's option as an HVAC mode; a preset's option shows as auto."""
        mode = self._get(self.spec.mode_key)
        for hvac_mode, option in self._hvac.items():
            if option == mode:
                return hvac_mode
        return HVACMode.AUTO if mode in self.presets.values() else None

    @property
    def hvac_action(self) -> HVACAction | None:
        """What the zone calls for now, where the source says it."""
        return self.actions.get(str(self._get(self.spec.action_key)))

    @property
    def preset_mode(self) -> str | None:
        """The preset whose option the mode point holds, else none."""
        if not self.presets:
            return None
        mode = self._get(self.spec.mode_key)
        for preset, option in self.presets.items():
            if option == mode:
                return preset
        return PRESET_NONE

    def _require_writable(self, *, mode: bool = False) -> None:
        if mode and self.fixed:
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
            if not (self.heat_key and self.cool_key):
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="no_target_range"
                )
            values = {self.heat_key: float(low), self.cool_key: float(high)}
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
        if hvac_mode not in self._hvac:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_option",
                translation_placeholders={
                    "value": str(hvac_mode),
                    "options": ", ".join(self._hvac),
                },
            )
        await async_set_points(self.coordinator, {self.spec.mode_key: self._hvac[hvac_mode]})

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Write the operating mode of the preset; "none" returns to automatic."""
        self._require_writable(mode=True)
        option = self.presets.get(preset_mode, self._hvac[HVACMode.AUTO])
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
        if isinstance(mode, str) and mode != HVACMode.OFF and mode in self._hvac:
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
            if mode in self._hvac:
                await self.async_set_hvac_mode(mode)
                return

    async def async_turn_off(self) -> None:
        """Switch off."""
        await self.async_set_hvac_mode(HVACMode.OFF)
