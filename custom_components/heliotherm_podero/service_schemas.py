"""What each service takes: field names and the schemas Home Assistant checks calls against."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.helpers import config_validation as cv

from .compat import vol

ATTR_DEVICE_ID = "device_id"
ATTR_PROGRAM = "program"
ATTR_DAYS = "days"
ATTR_DAY = "day"
ATTR_ENTRIES = "entries"
ATTR_START = "start"
ATTR_END = "end"
ATTR_COUNT = "count"
ATTR_PARAMETER = "parameter"
ATTR_VALUE = "value"

SERVICE_GET_TIME_PROGRAM = "get_time_program"
SERVICE_SET_TIME_PROGRAM = "set_time_program"
SERVICE_SET_AWAY_MODE = "set_away_mode"
SERVICE_CLEAR_AWAY_MODE = "clear_away_mode"
SERVICE_SYNC_CLOCK = "sync_clock"
SERVICE_GET_FAULT_LIST = "get_fault_list"
SERVICE_SET_PARAMETER = "set_parameter"
SERVICE_GET_PARAMETERS = "get_parameters"
SERVICE_LIST_TIME_PROGRAMS = "list_time_programs"
SERVICE_PAUSE_POWER = "pause_power"
SERVICE_RESUME_POWER = "resume_power"
ATTR_MINIMUM_TEMPERATURE = "minimum_temperature"
ATTR_DURATION = "duration"
ATTR_UNTIL = "until"
MAX_PAUSE = timedelta(days=7)
ATTR_PARAMETERS = "parameters"
ATTR_TIME = "time"

_DEVICE: dict[vol.Marker, Any] = {vol.Required(ATTR_DEVICE_ID): cv.string}
_ENTRY_SCHEMA = vol.Schema(
    {
        vol.Required("state"): vol.Coerce(int),
        vol.Required("begin"): cv.string,
        vol.Required("end"): cv.string,
    }
)
_DAY_SCHEMA = vol.Schema(
    {vol.Required(ATTR_DAY): vol.Coerce(int), vol.Required(ATTR_ENTRIES): [_ENTRY_SCHEMA]}
)
GET_TIME_PROGRAM_SCHEMA = vol.Schema({**_DEVICE, vol.Required(ATTR_PROGRAM): vol.Coerce(int)})
SET_TIME_PROGRAM_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Required(ATTR_PROGRAM): vol.Coerce(int),
        vol.Required(ATTR_DAYS): vol.All(cv.ensure_list, [_DAY_SCHEMA]),
    }
)
SET_AWAY_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Optional(ATTR_START): cv.datetime,
        vol.Required(ATTR_END): cv.datetime,
        vol.Optional(ATTR_MINIMUM_TEMPERATURE): vol.Coerce(float),
    }
)
PAUSE_POWER_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Exclusive(ATTR_DURATION, "end"): cv.positive_time_period,
        vol.Exclusive(ATTR_UNTIL, "end"): cv.datetime,
    }
)
DEVICE_ONLY_SCHEMA = vol.Schema(_DEVICE)
SYNC_CLOCK_SCHEMA = vol.Schema({**_DEVICE, vol.Optional(ATTR_TIME): cv.datetime})
GET_PARAMETERS_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Required(ATTR_PARAMETERS): vol.All(
            cv.ensure_list, [cv.string], vol.Length(min=1, max=100)
        ),
    }
)
GET_FAULT_LIST_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Optional(ATTR_START, default=0): vol.All(vol.Coerce(int), vol.Range(min=0)),
        vol.Optional(ATTR_COUNT, default=20): vol.All(vol.Coerce(int), vol.Range(min=1, max=500)),
    }
)
SET_PARAMETER_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Required(ATTR_PARAMETER): cv.string,
        vol.Required(ATTR_VALUE): vol.Any(bool, int, float, cv.string),
    }
)
