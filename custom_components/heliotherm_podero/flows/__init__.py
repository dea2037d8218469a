"""The connection modes, each declared once (``FlowMode``).

Everything that must know every mode (the source factory, the config flow's menu and
steps, the tests' mode lists) reads them here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..const import CONF_MODE
from .aris import ArisFlow
from .base import FieldError, FlowContext, FlowMode, Found
from .podero import PoderoFlow
from .serial import SerialFlow

__all__ = ["FLOW_MODES", "FieldError", "FlowContext", "FlowMode", "Found", "mode_of"]

FLOW_MODES: dict[str, FlowMode] = {
    flow.mode: flow for flow in (SerialFlow(), ArisFlow(), PoderoFlow())
}


def mode_of(data: Mapping[str, Any]) -> FlowMode:
    """The mode of an entry's data (entries of the first version were all serial)."""
    return FLOW_MODES[data.get(CONF_MODE, SerialFlow.mode)]
