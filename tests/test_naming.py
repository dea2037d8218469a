"""The serial pump's device page as an owner reads it: every name translated, none twice."""

from __future__ import annotations

import csv
import importlib
import json
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import translation
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero import sources
from custom_components.heliotherm_podero.const import CONF_EXPERT, DOMAIN
from custom_components.heliotherm_podero.descriptions import platform_for
from custom_components.heliotherm_podero.sources.fields import FieldSpec
from custom_components.heliotherm_podero.sources.heliotherm.catalog import default_catalog
from custom_components.heliotherm_podero.sources.heliotherm.points import describe_all
from scripts.translations import LANGUAGES, TRANSLATIONS, merged

from .naming import duplicate_names, set_up_in, untranslated


def _translations(language: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )
    return data


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_files_hold_the_long_tail_names_of_the_csv(language: str) -> None:
    current = _translations(language)
    assert merged(language, current) == current, "run scripts/translations"


@pytest.mark.parametrize("expert", [False, True])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_point_has_a_name_of_its_own(language: str, expert: bool) -> None:
    """All of them, enabled or not, in plain and in expert mode (numbers become settings)."""
    entities = _translations(language)["entity"]
    names: dict[str, str] = {}
    for point in describe_all(default_catalog(), expert=expert).values():
        assert point.translation_key is not None, point.key
        entry = entities[str(platform_for(point))].get(point.translation_key)
        assert entry is not None, f"{point.key} has no {language} name"
        name = entry["name"]
        assert name not in names, f"{point.key} and {names[name]} are both {name!r}"
        names[name] = point.key
    climate = entities["climate"]["heating_circuit"]["name"]
    assert climate not in names


def test_no_undocumented_internal_or_trigger_is_offered() -> None:
    offered = describe_all(default_catalog(), expert=True)
    for key in ("sp_8", "sp_14", "sp_255", "sp_286"):  # triggers
        assert key not in offered
    for key in ("mp_99", "mp_40", "sp_399", "sp_395", "sp_1"):  # meaning not documented
        assert key not in offered


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_device_page_in_each_language(
    hass: HomeAssistant, config_entry: MockConfigEntry, language: str
) -> None:
    await set_up_in(hass, config_entry, language)
    assert duplicate_names(hass, config_entry) == {}
    assert untranslated(hass, config_entry) == []
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), config_entry.entry_id)
    assert device.name == config_entry.title == "Heliotherm 123456"


@pytest.mark.parametrize("options", [{CONF_EXPERT: True}])
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_expert_mode_names_stay_unique(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    await set_up_in(hass, config_entry, "de")
    assert duplicate_names(hass, config_entry) == {}
    assert untranslated(hass, config_entry) == []


def test_the_long_tail_names_come_from_the_csv_the_script_reads() -> None:
    """Every row of the CSV reaches both languages, and a long-tail entity is named by it."""
    csv_path = Path(__file__).parents[1].joinpath("scripts", "long_tail_names.csv")
    rows = list(csv.DictReader(csv_path.read_text(encoding="utf-8").splitlines()))
    assert len(rows) > 100
    for language in LANGUAGES:
        sensors = _translations(language)["entity"]
        names = {
            key: entry["name"]
            for platform in sensors.values()
            for key, entry in platform.items()
            if isinstance(entry, dict) and "name" in entry
        }
        for row in rows:
            assert names.get(row["key"]) == row[language], (language, row["key"])


@pytest.mark.parametrize("language", LANGUAGES)
async def test_modes_and_presets_are_short_and_agree(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, language: str
) -> None:
    """What the mode menus show, looked up the way the frontend does, in each language."""
    strings = await translation.async_get_translations(hass, language, "entity", [DOMAIN])
    prefix = f"component.{DOMAIN}.entity"
    climate = hass.states.get("climate.heliotherm_123456_heating_circuit")
    assert climate is not None
    modes = {
        mode: strings[f"{prefix}.climate.heating_circuit.state.{mode}"]
        for mode in climate.attributes["hvac_modes"]
    }
    presets = {
        preset: strings[
            f"{prefix}.climate.heating_circuit.state_attributes.preset_mode.state.{preset}"
        ]
        for preset in climate.attributes["preset_modes"]
    }
    assert len(set(modes.values())) == len(modes)
    assert len(set(presets.values())) == len(presets)
    # Short, as Home Assistant's own: a tile nests them ("Idle (Automatic)") and has little room.
    assert max(len(name) for name in (*modes.values(), *presets.values())) <= 18
    # The climate and the operating-mode select call one operating mode alike.
    select = f"{prefix}.select.operating_mode.state"
    operating = {"off": "off", "auto": "automatic", "heat": "continuous", "cool": "cooling"}
    assert {mode: strings[f"{select}.{operating[mode]}"] for mode in modes} == modes
    # What each does to the pump is in the README's table (off stops hot water too).
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "| Off | off | stops heating **and** hot water |" in readme
    for state in ("off", "idle", "charging"):
        assert strings[f"{prefix}.water_heater.dhw_tank.state.{state}"]
    assert strings[f"{prefix}.sensor.activity.state.defrost"]


def _icons() -> dict[str, Any]:
    path = Path(__file__).parents[1] / "custom_components" / "heliotherm_podero" / "icons.json"
    icons: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["entity"]
    return icons


def _field_specs() -> list[FieldSpec]:
    """Every field spec of every source: the tables (upper-case tuples) of every module."""
    specs: list[FieldSpec] = []
    for found in pkgutil.walk_packages(sources.__path__, f"{sources.__name__}."):
        module = importlib.import_module(found.name)
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, tuple):
                specs.extend(spec for spec in value if isinstance(spec, FieldSpec))
    return list(dict.fromkeys(specs))  # a table imported elsewhere counts once


def test_every_http_field_without_a_device_class_has_its_own_icon() -> None:
    # A device class brings Home Assistant's icon; anything else would show the generic one.
    icons = _icons()
    specs = _field_specs()
    assert len(specs) > 60
    generic = sorted(
        f"{platform}.{spec.name}"
        for spec in specs
        if spec.device_class is None
        and spec.name not in icons.get(platform := str(platform_for(spec.point("k", "d"))), {})
    )
    assert generic == []


def test_icons_name_only_translated_entities_and_the_presets_have_theirs() -> None:
    icons = _icons()
    names = _translations("en")["entity"]
    assert [f"{p}.{k}" for p, keys in icons.items() for k in keys if k not in names[p]] == []
    presets = icons["climate"]["heating_circuit"]["state_attributes"]["preset_mode"]["state"]
    assert set(presets) == {"summer", "setback", "holiday", "party"}
