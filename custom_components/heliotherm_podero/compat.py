"""Names that differ between the Home Assistant releases this integration supports (2025.4+).

Home Assistant 2026.x validates with probatio (``voluptuous`` is an alias of it there at run
time, but not for a type checker) and names the repair flow result type; 2025.4 has neither.
"""

from __future__ import annotations

import inspect
from typing import Any

from homeassistant.helpers import device_registry as dr

try:
    import probatio as vol  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - Home Assistant before 2026
    import voluptuous as vol  # type: ignore[no-redef,unused-ignore]

try:
    from homeassistant.components.repairs import (  # type: ignore[attr-defined,unused-ignore]
        RepairsFlowResult,
    )
except ImportError:  # pragma: no cover - Home Assistant before 2026
    from homeassistant.data_entry_flow import (  # type: ignore[assignment,unused-ignore]
        FlowResult as RepairsFlowResult,
    )

# Home Assistant 2026.x links a child device to its parent by registry ID (``via_device_id``)
# and deprecates the identifier tuple (``via_device``) that 2025.4 knows only.
VIA_DEVICE_ID = (
    "via_device_id" in inspect.signature(dr.DeviceRegistry.async_get_or_create).parameters
)


def via_device_kwargs(parent: dr.DeviceEntry) -> dict[str, Any]:
    """The keyword that makes a new device hang under ``parent``."""
    if VIA_DEVICE_ID:
        return {"via_device_id": parent.id}
    return {"via_device": next(iter(parent.identifiers))}


__all__ = ["VIA_DEVICE_ID", "RepairsFlowResult", "via_device_kwargs", "vol"]
