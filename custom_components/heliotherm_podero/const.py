"""Constants of the heliotherm_podero integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

DOMAIN: Final = "heliotherm_podero"

CONF_MODE: Final = "mode"
MODE_SERIAL: Final = "serial"

CONF_PORT: Final = "port"
CONF_BAUDRATE: Final = "baudrate"
CONF_SERIAL_NUMBER: Final = "serial_number"

CONF_SCAN_INTERVAL: Final = "scan_interval"
CONF_SETTINGS_INTERVAL: Final = "settings_interval"
CONF_READ_ONLY: Final = "read_only"
CONF_EXPERT: Final = "expert"

DEFAULT_BAUDRATE: Final = 19200
DEFAULT_SCAN_INTERVAL: Final = timedelta(seconds=30)
DEFAULT_SETTINGS_INTERVAL: Final = timedelta(minutes=5)
MIN_SCAN_INTERVAL_S: Final = 10
MAX_SCAN_INTERVAL_S: Final = 3600

CLOCK_DRIFT_LIMIT: Final = timedelta(minutes=5)
