"""What the suite of every mode (tests/test_every_mode.py) needs of one mode: a ``Mode``.

A mode named ``<mode>`` (``FLOW_MODES``) gives it as the fixture ``every_mode_<mode>`` in
``tests/<mode>/fixtures.py`` (found by tests/conftest.py): its device running, its entry added.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.flows import FLOW_MODES

type Step = Callable[[], Awaitable[None]]


@dataclass
class Mode:
    """One mode as the suite of every mode drives it."""

    name: str
    entry: MockConfigEntry
    shown: tuple[str, str]  # an entity and the state it shows
    write: tuple[str, str, dict[str, Any]]  # a service call that writes
    break_link: Step
    mend_link: Step
    writes: Callable[[], int]  # writes that reached the device
    requests: Callable[[], int]  # anything that reached the device
    secrets: tuple[str, ...]
    # The mode's form, filled in, and the probe it runs (patched to fail unexpectedly).
    form: dict[str, Any]
    probe: str
    # A device that can go missing from an answer, and its entity; None: one fixed device.
    come_and_go: tuple[Callable[[bool], None], str] | None = None
    poll: timedelta = field(init=False)

    def __post_init__(self) -> None:
        # A little more than the interval the mode declares: one poll is due.
        self.poll = FLOW_MODES[self.name].default_interval + timedelta(seconds=1)


def fixture_name(mode: str) -> str:
    """The fixture that gives ``mode``'s ``Mode``."""
    return f"every_mode_{mode}"
