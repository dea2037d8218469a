"""Services: time programs, away mode, clock sync, fault list, set_parameter; validation errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError, Unauthorized
from homeassistant.helpers import selector
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import CONF_READ_ONLY, DOMAIN
from tests.conftest import tick
from tests.emulators.heliotherm_pump import PumpEmulator

PACKAGE = Path(__file__).parents[2] / "custom_components" / "heliotherm_podero"

MODE = "select.heliotherm_123456_operating_mode"


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any], *, response: bool = False
) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


def day(entries: list[tuple[int, str, str]], number: int = 0) -> dict[str, Any]:
    padded = entries + [(0, "00:00", "00:00")] * (7 - len(entries))
    return {
        "day": number,
        "entries": [{"state": s, "begin": b, "end": e} for s, b, e in padded],
    }


async def test_get_time_program(hass: HomeAssistant, device_id: str) -> None:
    result = await call(
        hass, "get_time_program", {"device_id": device_id, "program": 0}, response=True
    )
    assert result["name"] == "Warmwasser"
    assert (result["states"], result["step_minutes"], result["entries_per_day"]) == (2, 15, 7)
    assert result["days"][0]["entries"][0] == {"state": 1, "begin": "06:00", "end": "22:00"}
    assert len(result["days"]) == 7


async def test_set_time_program(hass: HomeAssistant, device_id: str, pump: PumpEmulator) -> None:
    result = await call(
        hass,
        "set_time_program",
        {
            "device_id": device_id,
            "program": 0,
            "days": [day([(1, "05:30", "07:00"), (1, "17:00", "22:15")], 2)],
        },
        response=True,
    )
    assert result["days"][2]["entries"][1] == {"state": 1, "begin": "17:00", "end": "22:15"}
    # Only the two entries that differ are written; the empty slots already match.
    assert len(pump.write_requests()) == 2


@pytest.mark.parametrize(
    ("days", "key"),
    [
        ([day([(2, "05:30", "07:00")])], "invalid_state"),
        ([day([(1, "05:31", "07:00")])], "time_not_on_step"),
        ([day([(1, "08:00", "07:00")])], "end_before_begin"),
        ([day([(1, "06:00", "09:00"), (1, "08:00", "10:00")])], "entries_overlap"),
        ([day([(1, "06:00", "09:00")], 7)], "invalid_day"),
        ([{"day": 0, "entries": [{"state": 1, "begin": "6", "end": "7"}]}], "invalid_time"),
        (
            [{"day": 0, "entries": [{"state": 1, "begin": "06:00", "end": "07:00"}] * 8}],
            "wrong_entry_count",  # more entries than the pump's 7 slots a day
        ),
    ],
)
async def test_set_time_program_is_validated_before_writing(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator, days: list[Any], key: str
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_time_program", {"device_id": device_id, "program": 0, "days": days})
    assert err.value.translation_key == key
    assert pump.write_requests() == []


async def test_set_time_program_fills_a_short_day_with_empty_slots(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    def short(entries: list[tuple[int, str, str]]) -> dict[str, Any]:
        return {
            "device_id": device_id,
            "program": 0,
            "days": [
                {"day": 3, "entries": [{"state": s, "begin": b, "end": e} for s, b, e in entries]}
            ],
        }

    await call(hass, "set_time_program", short([(1, "05:30", "07:00"), (1, "17:00", "22:00")]))
    result = await call(hass, "set_time_program", short([(1, "06:00", "08:00")]), response=True)
    entries = result["days"][3]["entries"]
    assert len(entries) == 7
    assert entries[0] == {"state": 1, "begin": "06:00", "end": "08:00"}
    # The second entry of before is cleared, not left running.
    assert entries[1:] == [{"state": 0, "begin": "00:00", "end": "00:00"}] * 6


async def test_unknown_program_and_device(hass: HomeAssistant, device_id: str) -> None:
    with pytest.raises(HomeAssistantError):
        await call(hass, "get_time_program", {"device_id": device_id, "program": 9}, response=True)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "sync_clock", {"device_id": "nope"})
    assert err.value.translation_key == "unknown_device"


async def test_sync_clock(hass: HomeAssistant, device_id: str, pump: PumpEmulator) -> None:
    pump.state.clock_offset += timedelta(hours=2)
    await call(hass, "sync_clock", {"device_id": device_id})
    assert [r for r in pump.write_requests() if r.startswith("CLK,")]
    ha_local = dt_util.now().replace(tzinfo=None)
    assert abs((pump._now() - ha_local).total_seconds()) < 5


async def test_get_fault_list(hass: HomeAssistant, device_id: str) -> None:
    result = await call(
        hass, "get_fault_list", {"device_id": device_id, "start": 25, "count": 10}, response=True
    )
    assert [e["index"] for e in result["entries"]] == [25, 26, 27, 28, 29]
    assert result["entries"][-1]["message"] == "EQ Motorschutz"
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "get_fault_list", {"device_id": device_id, "start": 40}, response=True)
    assert err.value.translation_key == "invalid_range"


async def test_set_parameter(hass: HomeAssistant, device_id: str, pump: PumpEmulator) -> None:
    await call(
        hass, "set_parameter", {"device_id": device_id, "parameter": "sp_69", "value": "21.5"}
    )
    await call(
        hass, "set_parameter", {"device_id": device_id, "parameter": "WW Normaltemp.", "value": 50}
    )
    assert pump.write_requests() == ["SP,NR=69,VAL=21.5", "SP,NR=83,VAL=50"]


@pytest.mark.parametrize(
    ("parameter", "value", "key"),
    [
        ("sp_69", 30, "out_of_range"),
        ("sp_69", "warm", "not_a_number"),
        ("mp_0", 5, "read_only_point"),
        ("no such point", 1, "unknown_point"),
    ],
)
async def test_set_parameter_refuses_bad_values(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator, parameter: str, value: Any, key: str
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "set_parameter", {"device_id": device_id, "parameter": parameter, "value": value}
        )
    assert err.value.translation_key == key
    assert pump.write_requests() == []


async def test_set_parameter_is_admin_only(
    hass: HomeAssistant, device_id: str, hass_read_only_user: Any
) -> None:
    from homeassistant.core import Context

    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "set_parameter",
            {"device_id": device_id, "parameter": "sp_69", "value": 21},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )


async def test_rejected_and_failed_service_writes(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    pump.reject_writes = True
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass, "set_parameter", {"device_id": device_id, "parameter": "sp_69", "value": 21}
        )
    assert err.value.translation_key == "write_rejected"
    await pump.stop()
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "sync_clock", {"device_id": device_id})
    assert err.value.translation_key == "communication_error"


@pytest.mark.parametrize("options", [{CONF_READ_ONLY: True}])
async def test_read_only_services_write_nothing(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    for service, data in (
        ("sync_clock", {}),
        ("set_parameter", {"parameter": "sp_69", "value": 21}),
        ("set_time_program", {"program": 0, "days": [day([(1, "06:00", "07:00")])]}),
        ("set_away_mode", {"end": dt_util.now() + timedelta(days=1)}),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, service, {"device_id": device_id, **data})
        assert err.value.translation_key == "read_only_mode"
    assert pump.write_requests() == []


def _mode(hass: HomeAssistant) -> str:
    state = hass.states.get(MODE)
    assert state is not None
    return state.state


async def test_away_mode_now_until_end(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator, freezer: FrozenDateTimeFactory
) -> None:
    end = dt_util.now() + timedelta(hours=2)
    await call(hass, "set_away_mode", {"device_id": device_id, "end": end})
    assert _mode(hass) == "holiday"
    await tick(hass, freezer, timedelta(hours=2, seconds=1))
    assert _mode(hass) == "automatic"
    assert pump.write_requests() == ["SP,NR=13,VAL=6", "SP,NR=13,VAL=1"]


async def test_away_mode_survives_a_restart(
    hass: HomeAssistant,
    device_id: str,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    start = dt_util.now() + timedelta(hours=1)
    await call(
        hass,
        "set_away_mode",
        {"device_id": device_id, "start": start, "end": start + timedelta(days=1)},
    )
    assert _mode(hass) == "automatic"
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await tick(hass, freezer, timedelta(hours=1, minutes=1))  # passes while unloaded
    assert pump.write_requests() == []
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert _mode(hass) == "holiday"
    await tick(hass, freezer, timedelta(days=1))
    assert _mode(hass) == "automatic"


async def test_clear_away_mode_restores(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    end = dt_util.now() + timedelta(days=30)
    await call(hass, "set_away_mode", {"device_id": device_id, "end": end})
    assert _mode(hass) == "holiday"
    await call(hass, "clear_away_mode", {"device_id": device_id})
    assert _mode(hass) == "automatic"
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "set_away_mode",
            {"device_id": device_id, "start": end + timedelta(days=1), "end": end},
        )
    assert err.value.translation_key == "invalid_away_period"


async def test_away_mode_retries_when_pump_is_unreachable(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator, freezer: FrozenDateTimeFactory
) -> None:
    port = pump.port
    start = dt_util.now() + timedelta(minutes=10)
    await call(
        hass,
        "set_away_mode",
        {"device_id": device_id, "start": start, "end": start + timedelta(hours=3)},
    )
    await pump.stop()
    await tick(hass, freezer, timedelta(minutes=10, seconds=1))
    assert pump.write_requests() == []
    await pump.start_tcp(port=port or 0)
    await tick(hass, freezer, timedelta(minutes=1, seconds=1))
    assert "SP,NR=13,VAL=6" in pump.write_requests()


def test_the_device_picker_offers_only_devices_that_can_do_the_service() -> None:
    services = load_yaml_dict(str(PACKAGE / "services.yaml"))
    pumps_only = ("get_time_program", "set_time_program", "list_time_programs", "sync_clock")
    for service in (*pumps_only, "get_fault_list", "get_parameters", "set_parameter"):
        config = services[service]["fields"]["device_id"]["selector"]
        picker = selector.validate_selector(config)["device"]  # as Home Assistant reads it
        # a Heliotherm pump: not an Aris zone, tank, HCU or fan coil, nor a Podero pump
        wanted = {"integration": DOMAIN, "manufacturer": "Heliotherm"}
        assert {key: picker.get(key) for key in wanted} == wanted, service
