"""The heliotherm_podero integration: Heliotherm heat pumps over RS-232 (and later Aris, Podero).

The protocol code below ``sources/`` runs without Home Assistant (an installer's cable test
imports it through this package), so the Home Assistant entry points load only when Home
Assistant is there.
"""

from __future__ import annotations

try:
    from .setup_entry import (
        CONFIG_SCHEMA,
        async_remove_entry,
        async_setup,
        async_setup_entry,
        async_unload_entry,
    )
except ModuleNotFoundError as err:  # pragma: no cover - only without Home Assistant
    if err.name is None or not err.name.startswith("homeassistant"):
        raise
else:
    __all__ = [
        "CONFIG_SCHEMA",
        "async_remove_entry",
        "async_setup",
        "async_setup_entry",
        "async_unload_entry",
    ]
