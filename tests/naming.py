"""Checks on what an owner reads on a device page: every name translated, none twice."""

from __future__ import annotations

from collections import Counter

from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry


async def set_up_in(hass: HomeAssistant, entry: MockConfigEntry, language: str) -> None:
    """Set the entry up with Home Assistant speaking ``language`` (names are fixed at setup)."""
    hass.config.language = language
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def duplicate_names(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, list[str]]:
    """Per device, the entity names shown more than once (none is the goal)."""
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    found: dict[str, list[str]] = {}
    for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id):
        names = Counter(
            state.name
            for entity in entities
            if entity.device_id == device.id
            and (state := hass.states.get(entity.entity_id)) is not None
        )
        twice = sorted(name for name, count in names.items() if count > 1)
        if twice:
            found[device.name or device.id] = twice
    return found


def untranslated(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """Entities named by neither a translation nor their device (a device's main entity)."""
    return sorted(
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if entity.translation_key is None and entity.original_name is not None
    )


# Home Assistant's device page cuts a name at about 24 characters in a card, and at about 10
# in the Configuration card, where a number box stands beside it (seen in a browser, German).
LONGEST_NAME = 24
SHOWN_BESIDE_A_CONTROL = 10
SHOWN_IN_A_CARD = 20
SENSOR_DOMAINS = ("sensor", "binary_sensor", "event")


def _card(entity: er.RegistryEntry) -> str:
    """The device page card an entity appears in."""
    if entity.entity_category is not None:
        return str(entity.entity_category)
    return "sensors" if entity.domain in SENSOR_DOMAINS else "controls"


def names_cut_on_the_device_page(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """Enabled entities whose name is cut, or reads like a neighbour's once it is cut.

    Every name fits in ``LONGEST_NAME`` characters; in one card of one device, two names
    differ within what the card shows of them (its first characters), so that the part
    shown (often the first word) tells them apart.
    """
    cards: dict[tuple[str | None, str], list[str]] = {}
    for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        name = entity.original_name
        if entity.disabled_by is not None or name is None:  # None: the device's own name
            continue
        cards.setdefault((entity.device_id, _card(entity)), []).append(name)
    found = []
    for (_, card), names in cards.items():
        found += [f"{name!r} is {len(name)} long" for name in names if len(name) > LONGEST_NAME]
        shown = SHOWN_BESIDE_A_CONTROL if card == EntityCategory.CONFIG else SHOWN_IN_A_CARD
        heads: dict[str, str] = {}
        for name in sorted(names):
            if (other := heads.setdefault(name[:shown], name)) != name:
                found.append(f"{other!r} and {name!r} read alike in the {card} card")
    return sorted(set(found))
