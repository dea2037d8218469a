"""Names that differ between the Home Assistant releases this integration supports (2025.4+).

Home Assistant 2026.x validates with probatio (``voluptuous`` is an alias of it there at run
time, but not for a type checker) and names the repair flow result type; 2025.4 has neither.
"""

from __future__ import annotations

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

__all__ = ["RepairsFlowResult", "vol"]
