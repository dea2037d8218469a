"""Constants of the heliotherm_podero integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

DOMAIN: Final = "heliotherm_podero"

CONF_MODE: Final = "mode"

CONF_PORT: Final = "port"
CONF_BAUDRATE: Final = "baudrate"
CONF_SERIAL_NUMBER: Final = "serial_number"

CONF_SCAN_INTERVAL: Final = "scan_interval"
CONF_SETTINGS_INTERVAL: Final = "settings_interval"
CONF_COUNTERS_INTERVAL: Final = "counters_interval"
# How often the time programs are read when nobody edits or looks at them (a change made at
# the pump's display shows within it).
CONF_PROGRAMS_INTERVAL: Final = "programs_interval"
CONF_READ_ONLY: Final = "read_only"
CONF_EXPERT: Final = "expert"
CONF_WRITE_WARNING: Final = "write_warning_per_day"
# Which weekday the pump's time programs call day 0 (Heliotherm does not document it).
CONF_PROGRAM_FIRST_DAY: Final = "program_first_day"
DEFAULT_PROGRAM_FIRST_DAY: Final = "monday"
# The owner's names of the levels of the heating and mixing circuits' programs (comma-separated);
# Heliotherm does not document what each level does.
CONF_PROGRAM_LEVEL_NAMES: Final = "program_level_names"
# The COP over periods: an energy sensor of the owner's that counts the pump's electricity
# (where the device has no meter of its own, or the owner prefers theirs), and the month the
# heating season starts with.
CONF_ELECTRICITY_METER: Final = "electricity_meter"
CONF_SEASON_START: Final = "season_start_month"
DEFAULT_SEASON_START: Final = 7

DEFAULT_BAUDRATE: Final = 19200
DEFAULT_SETTINGS_INTERVAL: Final = timedelta(minutes=5)
DEFAULT_COUNTERS_INTERVAL: Final = timedelta(hours=1)
DEFAULT_PROGRAMS_INTERVAL: Final = timedelta(hours=1)
MIN_PROGRAMS_INTERVAL_S: Final = 300
MIN_SCAN_INTERVAL_S: Final = 10
MAX_SCAN_INTERVAL_S: Final = 3600

CLOCK_DRIFT_LIMIT: Final = timedelta(minutes=5)
# A setting written more often than this within 24 hours raises a repair issue: the pump keeps
# its settings in memory that wears out (about 100,000 writes is typical for such memory).
DEFAULT_WRITE_WARNING: Final = 20

CONF_HOST: Final = "host"
CONF_TOKEN: Final = "token"
CONF_HEAT_PUMP_IDS: Final = "heat_pump_ids"
CONF_FCU_IDS: Final = "fcu_ids"
DEFAULT_ARIS_HOST: Final = "aris.local"

CONF_ENVIRONMENT: Final = "environment"
CONF_BASE_URL: Final = "base_url"
CONF_CLIENT_ID: Final = "client_id"
CONF_CLIENT_SECRET: Final = "client_secret"
CONF_ORG_ID: Final = "org_id"
CONF_USER_ID: Final = "user_id"
PODERO_ENVIRONMENTS: Final = ("production", "sandbox", "custom")
# Podero pulls pump data from the manufacturers' clouds every 5-15 minutes and publishes no
# rate limits: poll gently.
MIN_PODERO_SCAN_INTERVAL_S: Final = 60
