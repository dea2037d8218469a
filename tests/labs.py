"""Every mode's device for a real Home Assistant, found from the modes' one declaration.

A mode named ``<mode>`` (``FLOW_MODES``) keeps a ``Lab`` as ``LAB`` in ``tests/<mode>/lab.py``:
how to start its emulator or mock, what an owner types into the mode's form, one setting an
owner changes (read back from the state), and how to raise and clear a fault by hand. The
smoke stage (``scripts/smoke.py``) adds one entry of every mode to the newest release;
``scripts/develop`` runs every lab for a Home Assistant started by hand:

    python -m tests.labs    every mode's device on its development port, until interrupted

No pytest here: the smoke stage's environment has none.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

from custom_components.heliotherm_podero.flows import FLOW_MODES


class HomeAssistantApi(Protocol):
    """What a lab's own check may ask of the Home Assistant it runs with."""

    async def entities(self) -> list[str]:
        """Every entity of the integration that has a state."""

    async def state(self, entity_id: str) -> dict[str, Any]:
        """An entity's state as the REST API gives it."""


@dataclass(frozen=True)
class Write:
    """A setting an owner changes through a service: its data reads back from the state."""

    domain: str
    service: str
    entity_id: str
    data: dict[str, Any]


@dataclass
class LabDevice:
    """One mode's device, running."""

    form: dict[str, Any]  # the mode's form as an owner fills it in
    write: Write
    stop: Callable[[], Awaitable[None]]
    raise_fault: str = ""  # a shell command that raises a fault on the device
    clear_fault: str = ""
    about: str = ""  # what else a person trying it by hand should know
    # What else the smoke stage checks of this mode (returns what it checked).
    check: Callable[[HomeAssistantApi], Awaitable[str]] | None = None


class Lab(Protocol):
    """How a mode's device starts."""

    develop_port: int  # the port scripts/develop gives it (a person types it into the form)

    async def start(self, port: int, *, lively: bool) -> LabDevice:
        """Start on ``port`` (0: any); ``lively``: values move and replies take a real
        device's time (scripts/develop), otherwise static (comparable with the snapshots)."""


def knob(address: str, name: str, **arguments: Any) -> str:
    """The shell command that turns a mock's knob (``POST <address>/_mock/call/<name>``)."""
    return f"curl -X POST {address}/_mock/call/{name} -d '{json.dumps(arguments)}'"


class Ticker:
    """Calls ``step`` every ``seconds`` until stopped: a lively device's values move."""

    def __init__(self, step: Callable[[], None], seconds: float) -> None:
        self._task = asyncio.create_task(self._run(step, seconds))

    @staticmethod
    async def _run(step: Callable[[], None], seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            step()

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


def stopping(runner: web.AppRunner, ticker: Ticker | None) -> Callable[[], Awaitable[None]]:
    """How a mock served by ``runner`` (and moved by ``ticker``, if lively) stops."""

    async def stop() -> None:
        if ticker is not None:
            await ticker.stop()
        await runner.cleanup()

    return stop


class MissingLab(Exception):
    """A declared mode has no lab: its tests/<mode>/lab.py is missing or has no LAB."""


def lab_of(mode: str) -> Lab:
    """The lab of ``mode`` (``LAB`` in ``tests/<mode>/lab.py``)."""
    try:
        module = importlib.import_module(f"tests.{mode}.lab")
    except ModuleNotFoundError as err:
        if err.name not in (f"tests.{mode}", f"tests.{mode}.lab"):
            raise
        raise MissingLab(f"mode {mode!r} has no tests/{mode}/lab.py (see tests/labs.py)") from err
    lab = getattr(module, "LAB", None)
    if lab is None:
        raise MissingLab(f"tests/{mode}/lab.py defines no LAB")
    return lab  # type: ignore[no-any-return]


def labs() -> dict[str, Lab]:
    """Every declared mode's lab, in the order of the modes' menu."""
    return {mode: lab_of(mode) for mode in FLOW_MODES}


def develop_port(mode: str, lab: Lab) -> int:
    """The port of ``mode``'s device under scripts/develop (``<MODE>_PORT`` overrides it)."""
    return int(os.environ.get(f"{mode.upper()}_PORT", lab.develop_port))


def describe(mode: str, device: LabDevice) -> str:
    """What a person needs to add the device by hand and to raise and clear a fault."""
    lines = [f"{mode}: {', '.join(f'{k} {v}' for k, v in device.form.items())}"]
    if device.about:
        lines.append(f"  {device.about}")
    if device.raise_fault:
        lines.append(f"  raise a fault: {device.raise_fault}")
        lines.append(f"  clear it:      {device.clear_fault}")
    return "\n".join(lines)


async def develop() -> None:
    """Every lab on its development port, lively, until interrupted."""
    running: list[LabDevice] = []
    try:
        for mode, lab in labs().items():
            device = await lab.start(develop_port(mode, lab), lively=True)
            running.append(device)
            print(describe(mode, device), file=sys.stderr, flush=True)
        print("ready", flush=True)  # scripts/develop waits for this line
        await asyncio.Event().wait()
    finally:
        for device in running:
            await device.stop()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(develop())
