"""Every mode is declared once (``FLOW_MODES``), and what must know every mode learns it there.

A declared mode must bring what the shared suites find by its name: its ``Mode`` for the suite
of every mode (``every_mode_<mode>`` in tests/<mode>/fixtures.py) and its lab for the smoke
stage and scripts/develop (``LAB`` in tests/<mode>/lab.py). Its error table cannot be wrong by
the order of its rows.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

import aiohttp
import pytest
from homeassistant.core import HomeAssistant

from custom_components.heliotherm_podero.compat import vol
from custom_components.heliotherm_podero.config_flow import (
    HeliothermOptionsFlow,
    HeliothermPoderoConfigFlow,
)
from custom_components.heliotherm_podero.flows import (
    FLOW_MODES,
    FieldError,
    FlowContext,
    FlowMode,
    Found,
)
from custom_components.heliotherm_podero.sources.model import (
    CannotConnect,
    CommunicationError,
    ProtocolError,
    Source,
    SourceError,
)
from scripts.translations import LANGUAGES, TRANSLATIONS
from tests import conftest
from tests.labs import MissingLab, lab_of, labs
from tests.mode_suite import fixture_name


@pytest.mark.parametrize("mode", list(FLOW_MODES))
def test_each_mode_brings_what_the_shared_suites_find_by_its_name(mode: str) -> None:
    fixtures = importlib.import_module(f"tests.{mode}.fixtures")
    assert callable(getattr(fixtures, fixture_name(mode), None)), f"{mode}: no Mode fixture"
    assert f"tests.{mode}.fixtures" in conftest.pytest_plugins
    assert lab_of(mode) is not None


def test_a_mode_without_a_lab_is_named_not_skipped() -> None:
    with pytest.raises(MissingLab, match="tests/nothing/lab.py"):
        lab_of("nothing")


def test_each_mode_is_named_once_in_its_steps() -> None:
    """The step names follow from the mode's name; no two modes share one."""
    steps: list[str] = []
    for name, flow in FLOW_MODES.items():
        assert flow.mode == name
        steps += [flow.mode, flow.reconfigure_step, *filter(None, [flow.reauth_step])]
        assert flow.default_interval == flow.source_class.SCAN_INTERVAL
    assert len(steps) == len(set(steps))


def test_a_flow_answers_only_for_the_steps_of_the_modes_declared() -> None:
    flow = HeliothermPoderoConfigFlow()
    options = HeliothermOptionsFlow()
    for mode in FLOW_MODES.values():
        assert callable(getattr(flow, f"async_step_{mode.mode}"))
        assert callable(getattr(flow, f"async_step_{mode.reconfigure_step}"))
        assert callable(getattr(options, f"async_step_{mode.options_step}"))
    for missing in ("async_step_nothing", "serial", "async_step_reauth_serial"):
        assert not hasattr(flow, missing)
    assert not hasattr(options, "async_step_reconfigure_serial")


def _cases() -> Iterator[tuple[str, type[BaseException], str]]:
    """Every error type each mode's table names, and the form error it must become."""
    for name, flow in FLOW_MODES.items():
        for types, _, key in flow.errors:
            for error in types if isinstance(types, tuple) else (types,):
                yield name, error, key


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize(("mode", "error", "key"), list(_cases()))
async def test_the_most_specific_row_of_an_error_table_wins_in_any_order(
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    error: type[BaseException],
    key: str,
    reverse: bool,
) -> None:
    flow = FLOW_MODES[mode]
    if reverse:
        monkeypatch.setattr(type(flow), "errors", tuple(reversed(flow.errors)))

    async def probe() -> None:
        raise error("refused")

    with pytest.raises(FieldError) as caught:
        await flow.checked(probe(), {"port": "/dev/ttyUSB0", "host": "h"})
    assert list(caught.value.errors.values()) == [key]


class _Example(FlowMode):
    """A table with a broad row before a narrow one (the order that went wrong before)."""

    mode = "example"
    errors = (
        (CommunicationError, "host", "unreachable"),
        (ProtocolError, "host", "garbled"),
        (SourceError, "base", "refused"),
    )

    def create_source(
        self, data: Mapping[str, Any], options: Mapping[str, Any], session: aiohttp.ClientSession
    ) -> Source:
        raise NotImplementedError

    def setup_schema(self) -> vol.Schema:
        return vol.Schema({})

    async def async_setup(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        raise NotImplementedError


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (ProtocolError("html"), "garbled"),  # a subclass of CommunicationError
        (CannotConnect("refused"), "unreachable"),
        (SourceError("other"), "refused"),
    ],
)
async def test_a_subclass_finds_its_own_row_before_its_parents(
    error: SourceError, key: str
) -> None:
    async def probe() -> None:
        raise error

    with pytest.raises(FieldError) as caught:
        await _Example().checked(probe(), {})
    assert caught.value.errors == {"host" if key != "refused" else "base": key}


async def test_an_error_no_row_names_goes_on_up() -> None:
    async def probe() -> None:
        raise KeyError("surprise")

    with pytest.raises(KeyError):
        await _Example().checked(probe(), {})


@pytest.mark.parametrize("lively", [False, True])
async def test_each_lab_starts_with_a_form_its_mode_takes_and_stops(
    hass: HomeAssistant, socket_enabled: None, lively: bool
) -> None:
    for mode, lab in labs().items():
        device = await lab.start(0, lively=lively)
        try:
            fields = {str(marker) for marker in FLOW_MODES[mode].setup_schema().schema}
            assert set(device.form) <= fields, mode
            # A device that reports faults tells how to raise and clear one by hand.
            assert bool(device.raise_fault) == bool(device.clear_fault), mode
        finally:
            await device.stop()


def _fields(schema: Any) -> set[str]:
    return {str(marker) for marker in schema.schema}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("mode", list(FLOW_MODES))
def test_each_modes_steps_fields_and_errors_have_words(mode: str, language: str) -> None:
    """Every step the declaration names, each of its fields and each error of its table."""
    texts = json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))
    flow = FLOW_MODES[mode]
    forms = {
        ("config", flow.mode): flow.setup_schema(),
        ("config", flow.reconfigure_step): flow.reconfigure_schema(),
        ("options", flow.options_step): flow.options_schema({}),
    }
    if flow.reauth_step is not None:
        forms["config", flow.reauth_step] = flow.reauth_schema()
    for (where, step_id), schema in forms.items():
        step = texts[where]["step"].get(step_id)
        assert step is not None and step.get("title"), f"{where}.step.{step_id}"
        assert _fields(schema) <= set(step.get("data", {})), f"{where}.step.{step_id}"
    errors = texts["config"]["error"]
    assert [key for _, _, key in flow.errors if key not in errors] == []
