"""The connection modes of the config flow, one ``FlowMode`` each, by mode name."""

from __future__ import annotations

from .aris import ArisFlow
from .base import FieldError, FlowContext, FlowMode, Found
from .podero import PoderoFlow
from .serial import SerialFlow

__all__ = ["FLOW_MODES", "FieldError", "FlowContext", "FlowMode", "Found"]

FLOW_MODES: dict[str, FlowMode] = {
    flow.mode: flow for flow in (SerialFlow(), ArisFlow(), PoderoFlow())
}
