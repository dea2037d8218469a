"""Each kind of climate, read on its own: what its modes, presets and actions mean.

- a Heliotherm heating circuit: the pump's operating mode (off, automatic, continuous,
  cooling; summer, setback, holiday and party as presets), one room setpoint;
- an Aris zone: its own modes, a heating and/or cooling setpoint, a range in heat/cool;
- a Podero comfort band: shown by whether space heating is in use (never set here), the
  band's ends as the range while the band is on, its lower end alone where the pump does
  not cool.
"""

from __future__ import annotations

from typing import Any, ClassVar

from homeassistant.components.climate.const import HVACAction, HVACMode

from .climate_base import HeatPumpClimate
from .coordinator import HeatPumpCoordinator
from .sources.model import CircuitSpec, ClimateSpec, ComfortSpec, Value, ZoneSpec


class CircuitClimate(HeatPumpClimate[CircuitSpec]):
    """A heating circuit steered by the pump's operating mode."""

    presets: ClassVar[dict[str, str]] = {
        "summer": "summer",
        "setback": "setback",
        "holiday": "holiday",
        "party": "party",
    }
    # Charging hot water, the heating circuit waits: idle, not heating.
    actions: ClassVar[dict[str, HVACAction]] = {
        "heating": HVACAction.HEATING,
        "hot_water": HVACAction.IDLE,
        "cooling": HVACAction.COOLING,
        "defrost": HVACAction.DEFROSTING,
        "idle": HVACAction.IDLE,
        "off": HVACAction.OFF,
    }

    def hvac_options(self) -> dict[HVACMode, Value]:
        """The operating modes that are HVAC modes (the others are presets)."""
        return {
            HVACMode.OFF: "off",
            HVACMode.AUTO: "automatic",
            HVACMode.HEAT: "continuous",
            HVACMode.COOL: "cooling",
        }

    @property
    def target_key(self) -> str | None:
        """The room setpoint."""
        return self.spec.target_key


class ZoneClimate(HeatPumpClimate[ZoneSpec]):
    """A zone with modes of its own; its two setpoints form a range in heat/cool."""

    actions: ClassVar[dict[str, HVACAction]] = {
        "heating": HVACAction.HEATING,
        "cooling": HVACAction.COOLING,
        "idle": HVACAction.IDLE,
        "defrost": HVACAction.DEFROSTING,
    }
    range_mode = HVACMode.HEAT_COOL
    MODES: ClassVar[dict[HVACMode, str]] = {
        HVACMode.OFF: "off",
        HVACMode.HEAT: "heat",
        HVACMode.COOL: "cool",
        HVACMode.HEAT_COOL: "auto",
    }

    def hvac_options(self) -> dict[HVACMode, Value]:
        """The zone's modes, each as the HVAC mode it is."""
        return {mode: option for mode, option in self.MODES.items() if option in self.spec.modes}

    @property
    def heat_key(self) -> str | None:
        """The heating setpoint."""
        return self.spec.heat_target_key

    @property
    def cool_key(self) -> str | None:
        """The cooling setpoint."""
        return self.spec.cool_target_key


class ComfortClimate(HeatPumpClimate[ComfortSpec]):
    """A pump its cloud keeps within a comfort band; its mode follows the installation."""

    range_mode = HVACMode.HEAT
    fixed = True  # "space heating in use" is the installation's, not a switch to steer

    def hvac_options(self) -> dict[HVACMode, Value]:
        """Heating while space heating is in use, off otherwise."""
        return {HVACMode.HEAT: True, HVACMode.OFF: False}

    @property
    def target_key(self) -> str | None:
        """The indoor target the cloud reports (shown, never written)."""
        return self.spec.target_key

    @property
    def heat_key(self) -> str | None:
        """The band's lower end."""
        return self.spec.minimum_key

    @property
    def cool_key(self) -> str | None:
        """The band's upper end."""
        return self.spec.maximum_key

    def _band_on(self) -> bool:
        return self._switch_on(self.spec.band_key)

    def _cooling_on(self) -> bool:
        return self._switch_on(self.spec.cooling_key)


KINDS: dict[type[ClimateSpec], type[HeatPumpClimate[Any]]] = {
    CircuitSpec: CircuitClimate,
    ZoneSpec: ZoneClimate,
    ComfortSpec: ComfortClimate,
}


def climate_for(coordinator: HeatPumpCoordinator, spec: ClimateSpec) -> HeatPumpClimate[Any]:
    """The climate entity of a spec, of its kind's class."""
    return KINDS[type(spec)](coordinator, spec)
