"""The Podero client and source against the mock: tokens, requests, writes, errors, payloads."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from custom_components.heliotherm_podero.sources.capabilities import WriteCounter
from custom_components.heliotherm_podero.sources.model import (
    AuthFailed,
    CannotConnect,
    InvalidValue,
    NotFound,
    ProtocolError,
    ResponseTimeout,
    WriteRejected,
)
from custom_components.heliotherm_podero.sources.podero.client import (
    BackingOff,
    PoderoClient,
)
from custom_components.heliotherm_podero.sources.podero.models import PoderoHeatPump
from custom_components.heliotherm_podero.sources.podero.source import PoderoSource
from tests.emulators.podero_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORG_ID,
    USER_ID,
    PoderoState,
    make_pump,
)
from tests.sources.podero.mock import PUMP_1, PUMP_2

FIXTURES = Path(__file__).parent / "fixtures"


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session (the integration gets Home Assistant's)."""
    async with aiohttp.ClientSession() as session:
        yield session


def _client(
    session: aiohttp.ClientSession, url: str, clock: Clock | None = None, **kwargs: str
) -> PoderoClient:
    credentials = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "org_id": ORG_ID,
        "user_id": USER_ID,
        **kwargs,
    }
    return PoderoClient(
        session,
        url,
        client_id=credentials["client_id"],
        client_secret=credentials["client_secret"],
        org_id=credentials["org_id"],
        user_id=credentials["user_id"],
        timeout=2.0,
        clock=clock or Clock(),
    )


async def test_token_is_cached_and_renewed_before_expiry(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    clock = Clock()
    client = _client(session, podero_url, clock)
    await client.heat_pumps()
    await client.heat_pumps()
    assert client.requests["token"] == 1  # cached
    clock.now += 36000 - 400  # not yet within the renewal margin (300 s)
    await client.heat_pumps()
    assert client.requests["token"] == 1
    clock.now += 200  # now within it: renewed before the server would refuse it
    await client.heat_pumps()
    assert client.requests["token"] == 2
    assert podero.requests.count("POST /oauth2/token/") == 2


async def test_a_refused_token_is_renewed_once_and_the_call_retried(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    client = _client(session, podero_url)
    await client.heat_pumps()
    podero.expire_tokens()
    assert len(await client.heat_pumps()) == 2
    assert client.requests["token"] == 2
    podero.revoke_credentials()
    with pytest.raises(AuthFailed) as caught:
        await client.heat_pumps()
    assert CLIENT_SECRET not in str(caught.value)


async def test_concurrent_callers_share_one_renewal(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    client = _client(session, podero_url)
    await asyncio.gather(*(client.heat_pumps() for _ in range(5)))
    assert podero.requests.count("POST /oauth2/token/") == 1
    podero.expire_tokens()
    await asyncio.gather(*(client.heat_pumps() for _ in range(5)))
    assert podero.requests.count("POST /oauth2/token/") == 2


async def test_wrong_credentials_and_forbidden_organisation_fail_auth(
    session: aiohttp.ClientSession, podero_url: str
) -> None:
    with pytest.raises(AuthFailed):
        await _client(session, podero_url, client_secret="wrong").heat_pumps()
    with pytest.raises(AuthFailed):
        await _client(session, podero_url, org_id="another-org").heat_pumps()
    with pytest.raises(NotFound):
        await _client(session, podero_url, user_id="nobody").user()


@pytest.mark.parametrize(
    ("status", "retry_after", "wait"), [(429, "120", 120.0), (503, None, 60.0), (500, "x", 60.0)]
)
async def test_429_and_5xx_back_off(
    session: aiohttp.ClientSession,
    podero_url: str,
    podero: PoderoState,
    status: int,
    retry_after: str | None,
    wait: float,
) -> None:
    clock = Clock()
    client = _client(session, podero_url, clock)
    await client.heat_pumps()
    podero.fail.append((status, retry_after))
    with pytest.raises(BackingOff):
        await client.heat_pumps()
    sent = len(podero.requests)
    clock.now += wait - 1
    with pytest.raises(BackingOff):
        await client.heat_pumps()
    assert len(podero.requests) == sent  # nothing sent while backing off
    clock.now += 1
    assert len(await client.heat_pumps()) == 2


async def test_timeouts_broken_json_and_no_server(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    client = _client(session, podero_url)
    await client.heat_pumps()
    podero.delay = 3.0
    with pytest.raises(ResponseTimeout):
        await client.heat_pumps()
    podero.delay = 0.0
    with pytest.raises(CannotConnect):
        await _client(session, "http://127.0.0.1:9").heat_pumps()

    async def broken(request: aiohttp.web.Request) -> aiohttp.web.Response:
        return aiohttp.web.Response(text="[{", content_type="application/json")

    app = aiohttp.web.Application()
    app.router.add_post("/oauth2/token/", broken)
    runner = aiohttp.web.AppRunner(app)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        with pytest.raises(ProtocolError):
            await _client(session, f"http://127.0.0.1:{port}").heat_pumps()
    finally:
        await runner.cleanup()


async def test_one_list_request_per_poll_for_three_pumps(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    podero.add_pump(make_pump(3, manufacturer="Daikin", model="Altherma"))
    clock = Clock()
    source = PoderoSource(_client(session, podero_url, clock), clock=clock)
    await source.async_connect()
    details: list[int] = []
    for _ in range(6):
        before = dict(source.client.requests)
        await source.async_fetch(frozenset())
        assert source.client.requests["list"] - before["list"] == 1
        details.append(source.client.requests["detail"] - before["detail"])
        clock.now += 300
    # Each healthy pump's detail once, one per poll, then not again within the hour.
    assert sum(details) + 1 == 3 and max(details) == 1
    assert len(source.devices) == 3
    clock.now += 3600
    detail_before = source.client.requests["detail"]
    await source.async_fetch(frozenset())
    assert source.client.requests["detail"] - detail_before == 1  # hourly, spread over polls


async def test_a_pump_in_trouble_gets_its_detail_every_poll(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    source = PoderoSource(_client(session, podero_url))
    await source.async_connect()
    await source.async_fetch(frozenset())
    link = podero.require_reauthentication(PUMP_2)
    before = source.client.requests["detail"]
    snapshot = await source.async_fetch(frozenset())
    assert source.client.requests["detail"] - before == 1
    assert snapshot.values[f"{PUMP_2}.action_needed"] is True
    assert snapshot.values[f"{PUMP_2}.manufacturer_authenticated"] is False
    problem = source.device_problems()[f"podero_{PUMP_2}"]
    assert (problem.translation_key, problem.link) == ("podero_action_needed", link)
    assert "secret" not in json.dumps(source.diagnostics())
    podero.resolve_actions(PUMP_2)
    before = source.client.requests["detail"]
    await source.async_fetch(frozenset())  # the list looks fine, but the action was open
    assert source.client.requests["detail"] - before == 1
    assert source.device_problems() == {}


async def test_writes_send_every_asked_field_and_take_the_reply(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    source = PoderoSource(_client(session, podero_url))
    await source.async_connect()
    requests = len(podero.requests)
    snapshot = await source.async_write(
        {f"{PUMP_1}.comfort_minimum": 19.5, f"{PUMP_1}.comfort_maximum": 22.0}
    )
    # 19.5 is what the last poll showed: sent all the same, the poll may be old.
    assert podero.bodies == [{"minimum_temperature_limit": 19.5, "maximum_temperature_limit": 22.0}]
    assert len(podero.requests) == requests + 1  # the PUT, no GET after it
    assert snapshot.values[f"{PUMP_1}.comfort_maximum"] == 22.0
    await source.async_write({f"{PUMP_1}.comfort_maximum": 22.0})
    await source.async_write({f"{PUMP_1}.optimization_level": "max"})
    await source.async_write({f"{PUMP_1}.smart_optimization": False})
    assert podero.bodies[1:] == [
        {"maximum_temperature_limit": 22.0},
        {"optimization_level": "Max"},
        {"is_smart_optimization_active": False},
    ]


async def test_a_command_reaches_the_server_when_the_app_changed_it_since_the_poll(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    source = PoderoSource(_client(session, podero_url))
    await source.async_connect()  # shows Mid, smart optimisation on
    podero.heat_pumps[PUMP_1]["optimization_level"] = "Low"  # the Podero app, meanwhile
    podero.heat_pumps[PUMP_1]["price_zone"] = "DE_LU"
    snapshot = await source.async_write({f"{PUMP_1}.optimization_level": "mid"})
    assert podero.bodies == [{"optimization_level": "Mid"}]
    assert snapshot.values[f"{PUMP_1}.optimization_level"] == "mid"
    # The reply is the truth for every field: the app's change shows at once, no side effect.
    assert snapshot.values[f"{PUMP_1}.price_zone"] == "de_lu"
    assert snapshot.side_effects == ()
    podero.heat_pumps[PUMP_1]["is_smart_optimization_active"] = True
    await source.async_fetch(frozenset())
    podero.heat_pumps[PUMP_1]["is_smart_optimization_active"] = False
    snapshot = await source.async_write({f"{PUMP_1}.smart_optimization": False})
    assert podero.bodies[-1] == {"is_smart_optimization_active": False}
    assert snapshot.values[f"{PUMP_1}.smart_optimization"] is False


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({f"{PUMP_1}.comfort_minimum": 24.0}, "comfort_band"),  # above the maximum (23)
        ({f"{PUMP_1}.comfort_maximum": 40.0}, "out_of_range"),
        ({f"{PUMP_1}.optimization_level": "Turbo"}, "invalid_option"),
        ({f"{PUMP_1}.optimization_level": "Max"}, "invalid_option"),  # the API spelling
        ({f"{PUMP_1}.smart_optimization": "yes"}, "not_a_number"),
        ({f"{PUMP_1}.power": 3}, "read_only_point"),
        ({f"{PUMP_1}.trading": True, f"{PUMP_2}.trading": True}, "read_only_point"),
    ],
)
async def test_bad_values_are_refused_before_sending(
    session: aiohttp.ClientSession,
    podero_url: str,
    podero: PoderoState,
    values: dict[str, object],
    reason: str,
) -> None:
    source = PoderoSource(_client(session, podero_url))
    await source.async_connect()
    with pytest.raises(InvalidValue) as caught:
        await source.async_write(values)  # type: ignore[arg-type]
    assert caught.value.reason == reason
    assert podero.bodies == []


async def test_server_refusals_and_a_reply_that_differs(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    source = PoderoSource(_client(session, podero_url))
    await source.async_connect()
    podero.fail.append((422, None))
    with pytest.raises(InvalidValue) as caught:
        await source.async_write({f"{PUMP_1}.trading": True})
    assert caught.value.reason == "device_refused"
    podero.fail.append((409, None))
    with pytest.raises(InvalidValue) as caught:
        await source.async_write({f"{PUMP_1}.trading": True})
    assert caught.value.reason == "not_possible_now"
    podero.heat_pumps[PUMP_1]["price_zone"] = "AT"
    original = podero.view

    def stubborn(pump: dict[str, object], *, detail: bool) -> dict[str, object]:
        return {**original(pump, detail=detail), "price_zone": "CH"}

    podero.view = stubborn  # type: ignore[method-assign]
    with pytest.raises(WriteRejected) as rejected:
        await source.async_write({f"{PUMP_1}.price_zone": "de_lu"})
    assert rejected.value.reported == "ch"  # the option key, as the entity shows it
    podero.delete_pump(PUMP_1)
    with pytest.raises(InvalidValue) as caught:
        await source.async_write({f"{PUMP_1}.trading": True})
    assert caught.value.reason == "device_gone"


@pytest.mark.parametrize("generation", ["old", "new", "union"])
async def test_both_field_generations_parse(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState, generation: str
) -> None:
    podero.generation = generation
    source = PoderoSource(_client(session, podero_url))
    await source.async_connect()
    values = (await source.async_fetch(frozenset())).values
    assert values[f"{PUMP_1}.hot_water_temperature"] == 47.0
    assert values[f"{PUMP_1}.pause_power_active"] is False
    assert values[f"{PUMP_1}.power"] == 1900.0
    if generation == "old":
        assert f"{PUMP_1}.steering_level" not in values  # not reported: no entity
        assert values[f"{PUMP_1}.operational_mode"] == "heating"
    else:
        assert values[f"{PUMP_1}.steering_level"] == "mid"


class _Pages:
    """Serves a vendor page's example as the list, and its first pump as the detail."""

    def __init__(self, name: str) -> None:
        self.raw = json.loads((FIXTURES / name).read_text())
        self.base_url = "fixture"
        self.requests: dict[str, int] = {}

    async def heat_pumps(self) -> list[PoderoHeatPump]:
        return [PoderoHeatPump.from_json(raw) for raw in self.raw]

    async def heat_pump(self, pump_id: str) -> PoderoHeatPump:
        return PoderoHeatPump.from_json({**self.raw[0], "actions": []})


async def test_the_old_guide_example_parses() -> None:
    """The getting-started example: integer power, old names, slim objects (errata 7, 9)."""
    source = PoderoSource(_Pages("guide_example_old.json"))  # type: ignore[arg-type]
    await source.async_connect()
    values = (await source.async_fetch(frozenset())).values
    pump = "3f1c2b7a-5d1e-4c2a-9b7e-000000000101"
    assert values[f"{pump}.power"] == 2500.0
    assert values[f"{pump}.hot_water_temperature"] == 46.5
    assert values[f"{pump}.operational_mode"] == "hot_water"
    assert values[f"{pump}.indoor_temperature"] is None  # null: unknown, the entity stays
    assert values[f"{pump}.away_mode_active"] is False  # enabled, but no period
    assert values[f"{pump}.pause_power_active"] is False
    assert values[f"{pump}.price_zone"] == "de"  # not in the enum: kept, shown
    assert "de" in source.points[f"{pump}.price_zone"].options
    assert f"{pump}.steering_level" not in values  # the old pages have no current_mode
    assert source.devices[f"podero_{pump}"].name == "Nibe F2040"


async def test_the_new_reference_example_parses() -> None:
    """Numeric strings, nulls that mean unknown, unknown strings and fields (errata 2-4, 8)."""
    source = PoderoSource(_Pages("reference_list_new.json"))  # type: ignore[arg-type]
    await source.async_connect()
    values = (await source.async_fetch(frozenset())).values
    pump = "3f1c2b7a-5d1e-4c2a-9b7e-000000000201"
    assert values[f"{pump}.outdoor_temperature"] == -3.5
    assert values[f"{pump}.comfort_minimum"] == 19.5
    assert values[f"{pump}.consumption_last_day"] == 14.2
    assert values[f"{pump}.consumption_last_month"] is None
    assert values[f"{pump}.trading"] is None  # null is unknown, never off
    assert values[f"{pump}.manufacturer_authenticated"] is None
    assert values[f"{pump}.optimization_level"] == "eco_plus"  # a key a translation can have
    assert values[f"{pump}.steering_level"] == "boost"
    # The flag says false: a time ahead beside it is no pause (the flag is Podero's word).
    assert values[f"{pump}.pause_power_active"] is False
    assert values[f"{pump}.away_mode_active"] is True  # started, open end
    assert values[f"{pump}.steering_status"] == "error"
    assert source.devices[f"podero_{pump}"].model == "S1255 (2022)"
    with pytest.raises(InvalidValue):  # shown as it comes, but never written back
        await source.async_write({f"{pump}.optimization_level": "Eco+"})


async def test_validation_messages_and_reads_of_one_pump(
    session: aiohttp.ClientSession, podero_url: str, podero: PoderoState
) -> None:
    source = PoderoSource(_client(session, podero_url))
    await source.async_connect()
    podero.heat_pumps[PUMP_1]["dhw_standard_temperature"] = 50.0
    assert await source.async_read_point(f"{PUMP_1}.hot_water_standard_temperature") == 50.0
    assert await source.async_read_point("unknown-pump.power") is None
    assert not isinstance(source, WriteCounter)  # a cloud's settings do not wear
    # The mock validates too: a time that is no time is refused with its message.
    with pytest.raises(InvalidValue) as caught:
        await source.client.update_heat_pump(PUMP_1, {"away_mode_end": "soon"})
    assert caught.value.details["message"] == "away_mode_end: Input should be a valid datetime"
    podero.delete_pump(PUMP_2)
    with pytest.raises(NotFound):
        await source.client.heat_pump(PUMP_2)
    await source.async_read_point(f"{PUMP_2}.power")
    assert f"podero_{PUMP_2}" not in source.device_problems()
    await source.async_close()
