"""The smoke stage: a real Home Assistant of the newest release, every mode, its log read.

The pytest harness always lags behind Home Assistant; this starts the release users install
today (requirements_smoke.txt) with a throw-away configuration and every declared mode's lab
(tests/labs.py: the pump emulator, the mocks), sets up one entry of each mode through the
config flow over Home Assistant's REST API, runs each lab's own check (the serial pump's
entities read as the 2025.4 and 2026.10 snapshots show them), changes one setting in each
mode, reads the states back and stops Home Assistant. It fails when an entity of the
integration is unavailable or reads otherwise, a setting does not read back, or the log holds
a warning or error about the integration (its "custom integration" notice aside).

Run by scripts/test in the venv of ``scripts/setup smoke``:
    PYTHONPATH=. python scripts/smoke.py
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp

from tests.labs import LabDevice, MissingLab, Write, labs

REPO = Path(__file__).resolve().parent.parent
# The configuration uses the test harness's time zone (US/Pacific), so that the pump's local
# times read as in the snapshots the states are compared with.
DOMAIN = "heliotherm_podero"
START_TIMEOUT = 180.0
# Home Assistant's own note on every custom integration: expected, not a finding.
NOTICE = "We found a custom integration heliotherm_podero"
CONFIGURATION = """\
homeassistant:
  name: Smoke
  latitude: 48.2
  longitude: 16.37
  elevation: 170
  unit_system: metric
  time_zone: US/Pacific
  country: AT
  language: en
http:
  server_host: 127.0.0.1
  server_port: {port}
api:
config:
onboarding:
logger:
  default: warning
"""


class SmokeFailure(Exception):
    """What the smoke stage found wrong."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class HomeAssistantRun:
    """One Home Assistant process on a throw-away configuration, and a client for its API."""

    def __init__(self, config: Path, port: int) -> None:
        self.config = config
        self.base = f"http://127.0.0.1:{port}"
        self.process: asyncio.subprocess.Process | None = None
        self.session = aiohttp.ClientSession()
        self.headers: dict[str, str] = {}

    async def start(self) -> float:
        """Start Home Assistant; returns the seconds until its API answered."""
        started = time.monotonic()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "homeassistant",
            "-c",
            str(self.config),
            "--skip-pip",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        while time.monotonic() - started < START_TIMEOUT:
            if self.process.returncode is not None:
                raise SmokeFailure(f"Home Assistant exited with {self.process.returncode}")
            with contextlib.suppress(aiohttp.ClientError):
                async with self.session.get(f"{self.base}/api/onboarding") as response:
                    if response.status == 200:
                        return time.monotonic() - started
            await asyncio.sleep(0.5)
        raise SmokeFailure(f"Home Assistant did not answer within {START_TIMEOUT:.0f} s")

    async def log_in(self) -> None:
        """Create the owner through onboarding and take a token."""
        client_id = f"{self.base}/"
        user = await self.post(
            "/api/onboarding/users",
            {
                "client_id": client_id,
                "name": "Smoke",
                "username": "smoke",
                "password": "smoke-password",
                "language": "en",
            },
        )
        async with self.session.post(
            f"{self.base}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": user["auth_code"],
                "client_id": client_id,
            },
        ) as response:
            token = await response.json()
        self.headers = {"Authorization": f"Bearer {token['access_token']}"}

    async def post(self, path: str, body: dict[str, Any]) -> Any:
        async with self.session.post(
            f"{self.base}{path}", json=body, headers=self.headers
        ) as response:
            if response.status >= 400:
                raise SmokeFailure(f"POST {path}: HTTP {response.status}: {await response.text()}")
            return await response.json()

    async def get(self, path: str) -> Any:
        async with self.session.get(f"{self.base}{path}", headers=self.headers) as response:
            if response.status >= 400:
                raise SmokeFailure(f"GET {path}: HTTP {response.status}")
            return await response.json()

    async def add_entry(self, mode: str, data: dict[str, Any]) -> str:
        """Go through the config flow: the menu, then the mode's form; returns the title."""
        flow = await self.post("/api/config/config_entries/flow", {"handler": DOMAIN})
        step = await self.post(
            f"/api/config/config_entries/flow/{flow['flow_id']}", {"next_step_id": mode}
        )
        result = await self.post(f"/api/config/config_entries/flow/{step['flow_id']}", data)
        if result.get("type") != "create_entry":
            raise SmokeFailure(f"{mode}: the flow ended with {result}")
        return str(result["title"])

    async def call(self, domain: str, service: str, data: dict[str, Any]) -> None:
        await self.post(f"/api/services/{domain}/{service}", data)

    async def state(self, entity_id: str) -> dict[str, Any]:
        return dict(await self.get(f"/api/states/{entity_id}"))

    async def entities(self) -> list[str]:
        """Every entity of the integration that has a state."""
        async with self.session.post(
            f"{self.base}/api/template",
            json={"template": f"{{{{ integration_entities('{DOMAIN}') | join(',') }}}}"},
            headers=self.headers,
        ) as response:
            return [e for e in (await response.text()).split(",") if e]

    async def stop(self) -> None:
        """Stop Home Assistant the way a supervisor would, and wait for it."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 60)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        await self.session.close()


async def _until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 60) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if await check():
            return
        await asyncio.sleep(0.5)
    raise SmokeFailure(f"{what}: not within {timeout:.0f} s")


def findings(log: str) -> list[str]:
    """Warnings and errors about the integration (the custom-integration notice aside)."""
    found = []
    for line in log.splitlines():
        if not re.match(r"^\S+ \S+ (WARNING|ERROR|CRITICAL) ", line):
            continue
        if DOMAIN in line and NOTICE not in line:
            found.append(line)
    return found


async def run(workdir: Path) -> list[str]:
    """The whole stage; returns what it checked, raises SmokeFailure on a finding."""
    checked: list[str] = []
    config = workdir / "config"
    config.mkdir()
    port = _free_port()
    (config / "configuration.yaml").write_text(CONFIGURATION.format(port=port))
    shutil.copytree(
        REPO / "custom_components",
        config / "custom_components",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    devices: dict[str, LabDevice] = {}
    hass = HomeAssistantRun(config, port)
    try:
        try:
            every_lab = labs()
        except MissingLab as err:
            raise SmokeFailure(str(err)) from err
        for mode, lab in every_lab.items():  # static: comparable with the snapshots
            devices[mode] = await lab.start(0, lively=False)
        seconds = await hass.start()
        checked.append(f"Home Assistant answered after {seconds:.0f} s")
        await hass.log_in()
        titles = [await hass.add_entry(mode, device.form) for mode, device in devices.items()]
        checked.append(f"{len(titles)} entries through the config flow: {', '.join(titles)}")
        for mode, device in devices.items():
            if device.check is not None:
                checked.append(await _checked(mode, device.check(hass)))
        for device in devices.values():
            checked.append(await _reads_back(hass, device.write))
        await _nothing_unavailable(hass, checked)
    finally:
        await hass.stop()
        for device in devices.values():
            await device.stop()
    log = (config / "home-assistant.log").read_text(errors="replace")
    if bad := findings(log):
        raise SmokeFailure("the log has findings about the integration:\n" + "\n".join(bad))
    checked.append("no warning or error about the integration in the log")
    return checked


async def _checked(mode: str, check: Awaitable[str]) -> str:
    """A lab's own check; what it found wrong is a finding of the stage."""
    try:
        return await check
    except Exception as err:
        raise SmokeFailure(f"{mode}: {err}") from err


async def _reads_back(hass: HomeAssistantRun, write: Write) -> str:
    """A mode's setting, written through a service and read back from the state."""
    entity_id = write.entity_id
    await _until(functools.partial(_exists, hass, entity_id), f"{entity_id} to appear")
    await hass.call(write.domain, write.service, {"entity_id": entity_id, **write.data})
    state = await hass.state(entity_id)
    shown = {**state["attributes"], "state": state["state"]}
    expected = {"value": "state", "option": "state"}
    for key, value in write.data.items():
        got = shown[expected.get(key, key)]
        if str(got) != str(value) and not _same_number(got, value):
            raise SmokeFailure(f"{entity_id}: wrote {key}={value}, reads {got}")
    return f"{write.domain}.{write.service} on {entity_id} reads back"


async def _exists(hass: HomeAssistantRun, entity_id: str) -> bool:
    try:
        await hass.state(entity_id)
    except SmokeFailure:
        return False
    return True


def _same_number(got: Any, value: Any) -> bool:
    try:
        return abs(float(got) - float(value)) < 0.05
    except (TypeError, ValueError):
        return False


async def _nothing_unavailable(hass: HomeAssistantRun, checked: list[str]) -> None:
    entities = await hass.entities()
    if len(entities) < 50:
        raise SmokeFailure(f"only {len(entities)} entities of the integration")
    unavailable = [e for e in entities if (await hass.state(e))["state"] == "unavailable"]
    if unavailable:
        raise SmokeFailure(f"unavailable: {', '.join(unavailable)}")
    checked.append(f"{len(entities)} entities, none unavailable")


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="heliotherm-smoke-") as workdir:
        try:
            checked = asyncio.run(run(Path(workdir)))
        except SmokeFailure as err:
            print(f"smoke: FAILED after {time.monotonic() - started:.0f} s: {err}", flush=True)
            print("smoke: 0 passed, 1 failed", flush=True)
            return 1
    for line in checked:
        print(f"smoke: {line}", flush=True)
    print(f"smoke: took {time.monotonic() - started:.0f} s", flush=True)
    print("smoke: 1 passed, 0 failed", flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
