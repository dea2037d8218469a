"""Issue "no write the owner did not ask for, no stale or misattributed value": the lower floor."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path
from unittest.mock import patch

import pytest

from custom_components.heliotherm_podero.sources.heliotherm import catalog as catalog_module
from custom_components.heliotherm_podero.sources.heliotherm.catalog import (
    DataType,
    PointType,
    default_catalog,
    parse_value,
)
from custom_components.heliotherm_podero.sources.heliotherm.client import (
    HeliothermClient,
    WriteLog,
    is_write_command,
)
from custom_components.heliotherm_podero.sources.heliotherm.frame import FrameParser
from custom_components.heliotherm_podero.sources.model import (
    CommunicationError,
    InvalidValue,
    ProtocolError,
    WriteRejected,
    WriteUnconfirmed,
)
from tests.emulators.heliotherm_pump import Fault, PumpEmulator, frame_reply

SP, MP = PointType.SP, PointType.MP


# -- triggers --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sp_8", "Initialisieren", "Entstoerung", "sp_255", "sp_286"])
async def test_trigger_points_are_never_written(
    client: HeliothermClient, pump: PumpEmulator, name: str
) -> None:
    point = client.catalog.find(name)
    assert point is not None and point.is_trigger
    with pytest.raises(InvalidValue) as err:
        await client.write(point.point_type, point.number, True)
    assert err.value.reason == "trigger_point"
    assert pump.requests == []


@pytest.mark.parametrize(
    "command", ["SP,NR=8,VAL=1", "SP,NR=14,VAL=1", "SP,NR=255,VAL=1", "SP,NR=286,VAL=0"]
)
async def test_the_lowest_request_layer_refuses_trigger_writes(
    client: HeliothermClient, pump: PumpEmulator, command: str
) -> None:
    # Even a caller that builds the request itself gets nothing onto the wire.
    with pytest.raises(InvalidValue, match="trigger_point"):
        await client._transact(command)
    with pytest.raises(InvalidValue, match="read_only_point"):
        await client._transact("MP,NR=0,VAL=5.0")
    assert pump.requests == []
    # Reading a trigger point is harmless and allowed.
    assert (await client.read_record(SP, 8)).name == "Initialisieren"


@pytest.mark.parametrize(
    ("command", "writes"),
    [
        ("SP,NR=69", False),
        ("SP,NR=69,VAL=21.5", True),
        ("MP,NR=0", False),
        ("MP,NR=0,ORV=5.0,ORF=1", True),
        ("CLK", False),
        ("CLK,DA=01.01.26,TI=00:00:00,WD=4", True),
        ("PRE,PR=0,DAY=0,EV=0", False),
        ("PRE,PR=0,DAY=0,EV=0,ST=1,BEG=06:00,END=07:00", True),
        ("PRL", False),
        ("MR,0,1,2", False),
        ("LIN", False),
    ],
)
def test_which_requests_are_writes(command: str, writes: bool) -> None:
    assert is_write_command(command) is writes


async def test_read_only_client_refuses_at_the_lowest_layer(pump: PumpEmulator) -> None:
    url = await pump.start_tcp()
    client = HeliothermClient(url, read_only=True)
    try:
        for command in ("SP,NR=69,VAL=21.5", "CLK,DA=01.01.26,TI=00:00:00,WD=4"):
            with pytest.raises(InvalidValue, match="read_only_mode"):
                await client._transact(command)
        assert pump.requests == []
    finally:
        await client.close()


# -- values exactly as given -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "value", "reason"),
    [
        (76, 7.6, "not_a_whole_number"),  # heating limit: whole degrees
        (76, float("nan"), "not_a_setting_value"),
        (76, float("-inf"), "not_a_setting_value"),
        (76, 1e308, "not_a_setting_value"),
        (69, 1e308, "not_a_setting_value"),
        (69, 21.55, "wrong_step"),
    ],
)
async def test_values_are_written_exactly_or_refused(
    client: HeliothermClient, pump: PumpEmulator, number: int, value: float, reason: str
) -> None:
    with pytest.raises(InvalidValue) as err:
        await client.write(SP, number, value)
    assert err.value.reason == reason
    assert pump.requests == []


async def test_a_whole_number_given_as_float_is_written_as_is(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    assert await client.write(SP, 76, 17.0) == 17
    assert pump.write_requests() == ["SP,NR=76,VAL=17"]


@pytest.mark.parametrize("text", ["1_0", "1e1", "nan", "inf", "²", "١٠", " 10 x", "+-1"])
def test_only_plain_digits_are_values(text: str) -> None:
    for data_type in (DataType.INT, DataType.FLOAT):
        with pytest.raises(ValueError):
            parse_value(text, data_type)


# -- the point the catalog means ---------------------------------------------------------------


async def test_write_refused_when_the_pump_names_the_number_otherwise(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    # SW 2.03N: SP 70 is "HKR Soll_ZP_Korr", not the catalog's hot-water desuperheating limit.
    pump.rename("SP", 70, "HKR Soll_ZP_Korr")
    with pytest.raises(InvalidValue) as err:
        await client.write(SP, 70, 50)
    assert err.value.reason == "point_name_mismatch"
    assert err.value.details["reported"] == "HKR Soll_ZP_Korr"
    assert pump.write_requests() == []
    assert client.name_mismatches == {"sp_70": "HKR Soll_ZP_Korr"}


async def test_truncated_and_padded_names_are_the_same_point(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    # Older units cut names to 20 characters and pad them with blanks.
    pump.rename("SP", 83, "WW Normaltemp.   ")
    pump.rename("SP", 84, "WW Normaltemp. Hyst")  # 19 characters: too short to be a cut name
    assert await client.write(SP, 83, 49) == 49
    assert (await client.read_record(MP, 0)).name == "Temp. Aussen"
    assert client.name_mismatches == {}
    long_name = client.catalog_point(SP, 5).name
    pump.rename("SP", 5, long_name[:20])
    await client.read_record(SP, 5)
    assert client.name_mismatches == {}
    with pytest.raises(InvalidValue, match="point_name_mismatch"):
        await client.write(SP, 84, 5)
    assert "sp_84" in client.name_mismatches


# -- no write of what the pump already holds; lost replies ---------------------------------------


async def test_writing_the_held_value_sends_nothing(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    assert await client.write(SP, 69, 23.0) == 23.0
    assert await client.write(SP, 13, 1) == 1
    assert pump.write_requests() == []
    assert client.writes.counts() == {}


async def test_lost_write_reply_is_confirmed_by_a_re_read(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    pump.inject_on(r"SP,NR=69,VAL=.*", Fault.SILENCE)
    assert await client.write(SP, 69, 21.5) == 21.5
    # Read before, the write (its reply lost), read back.
    assert pump.requests == ["SP,NR=69", "SP,NR=69,VAL=21.5", "SP,NR=69"]
    assert client.writes.counts() == {"sp_69": 1}


async def test_lost_write_reply_of_a_refused_write_shows_the_pumps_value(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    pump.reject_writes = True
    pump.inject_on(r"SP,NR=69,VAL=.*", Fault.SILENCE)
    with pytest.raises(WriteRejected) as err:
        await client.write(SP, 69, 21.5)
    assert err.value.reported == 23.0


async def test_write_whose_reply_and_re_read_are_lost_is_unconfirmed(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    pump.inject_on(r"SP,NR=69,VAL=.*", Fault.SILENCE)
    pump.inject_on(r"SP,NR=69", Fault.SILENCE)
    with pytest.raises(WriteUnconfirmed) as err:
        await client.write(SP, 69, 21.5)
    assert err.value.key == "sp_69"
    assert isinstance(err.value, CommunicationError)
    assert await client.read_value(SP, 69) == 21.5


def test_write_log_counts_a_rolling_day() -> None:
    log = WriteLog()
    now = time.time()
    for hours in (30, 20, 10, 1):
        log.record("sp_69", now - hours * 3600)
    log.record("sp_83", now - 25 * 3600)
    assert log.last_day("sp_69", now) == 3
    assert log.counts(now) == {"sp_69": 3}
    assert log.last_day("sp_1", now) == 0


# -- late replies, strict matching, fake headers ---------------------------------------------------


async def test_late_reply_is_never_the_answer_to_the_next_request(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    # On a shared line (pty; ser2net keeping the line open) the late reply arrives after the
    # client gave up, looking exactly like the answer to a repeated request.
    pump.inject(Fault.LATE)
    with pytest.raises(CommunicationError):
        await client.read_value(MP, 2)
    pump.set_value("MP", 2, 48.0)
    assert await client.read_value(MP, 2) == 48.0
    pump.inject(Fault.LATE)
    with pytest.raises(CommunicationError):
        await client.fast_query([2])
    pump.set_value("MP", 2, 49.0)
    assert await client.fast_query([2]) == {2: 49.0}


async def test_late_program_list_is_not_taken_for_the_fault_count(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    pump.inject(Fault.LATE)
    with pytest.raises(CommunicationError):
        await client.time_programs()  # SUM=5 and five headers, late
    assert await client.fault_count() == 30


async def test_last_fault_must_have_the_expected_index(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    assert (await client.last_fault(expected_index=29)).index == 29
    with pytest.raises(ProtocolError):
        await client.last_fault(expected_index=28)
    assert (await client.last_fault(expected_index=29)).index == 29


async def test_fast_query_frames_must_come_in_request_order(client: HeliothermClient) -> None:
    # A reply for MP 3 where MP 2 is due is not accepted, even though 3 was asked for as well.
    with (
        patch.object(client, "_exchange", return_value=["MA,3,34.0,16", "MA,2,42.3,17"]),
        pytest.raises(ProtocolError),
    ):
        await client.fast_query([2, 3])


def test_fake_header_does_not_hide_the_reply_behind_it() -> None:
    reply = frame_reply("MA,2,42.3,16")
    parser = FrameParser()
    parser.feed(b"\x02\xfd\xe0\xd0\x00\x00\xfa~abc" + reply)
    frame = parser.next_frame()
    assert frame is not None and frame.text == "MA,2,42.3,16"
    # A fake zero-length header too.
    parser.feed(b"\x02\xfd\xe0\xd0\x02\x00\x00~x" + reply)
    frame = parser.next_frame()
    assert frame is not None and frame.text == "MA,2,42.3,16"


@pytest.mark.parametrize(
    "fake",
    [
        b"\x02\xfd\xe0\xd0\x02\x00\x00X",  # zero length, but no "~" where the payload starts
        b"\x02\xfd\xe0\xd0\x02\x00\x00~ERR\x01",  # zero length, a control byte in the text
    ],
)
def test_fake_zero_length_header_is_given_up_before_its_end(fake: bytes) -> None:
    parser = FrameParser()
    parser.feed(fake)
    assert parser.next_frame() is None
    parser.feed(frame_reply("OK"))
    frame = parser.next_frame()
    assert frame is not None and frame.text == "OK"


async def test_logout_on_a_dead_link_is_quiet() -> None:
    client = HeliothermClient("socket://127.0.0.1:9", timeout=0.2)
    await client.logout()  # no error: the pump's answer to LOUT does not matter
    assert not client.link.is_open


def test_a_valid_frame_behind_a_damaged_one_is_read() -> None:
    good = frame_reply("MA,2,42.3,16")
    bad = good[:-1] + bytes((good[-1] ^ 0x21,))
    parser = FrameParser()
    parser.feed(bad + good)
    frame = parser.next_frame()
    assert frame is not None and frame.text == "MA,2,42.3,16"
    assert parser.checksum_errors == 1


@pytest.mark.parametrize("fault", [Fault.FAKE_HEADER, Fault.BAD_THEN_GOOD])
async def test_reply_behind_a_fake_header_or_damaged_copy_arrives_without_waiting(
    client: HeliothermClient, pump: PumpEmulator, fault: Fault
) -> None:
    pump.inject(fault, 3)
    started = asyncio.get_running_loop().time()
    for _ in range(3):
        assert await client.read_value(MP, 2) == 42.3
    assert asyncio.get_running_loop().time() - started < client.timeout
    assert client.stats.faults == 0


async def test_damaged_reply_alone_is_a_checksum_error_quickly(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    pump.inject(Fault.CORRUPT)
    started = asyncio.get_running_loop().time()
    with pytest.raises(CommunicationError, match="checksum"):
        await client.read_value(MP, 2)
    assert asyncio.get_running_loop().time() - started < client.timeout


# -- identity replies, catalog loading -------------------------------------------------------------


@pytest.mark.parametrize("rid", ["RID,²", "RID,12a", "RID,", "RID,1_000", "XYZ,123456"])
async def test_garbled_serial_number_is_a_protocol_error(
    client: HeliothermClient, pump: PumpEmulator, rid: str
) -> None:
    pump.state.rid_text = rid
    with pytest.raises(ProtocolError):
        await client.serial_number()


def test_catalog_is_read_once_at_import_not_in_the_event_loop() -> None:
    with (
        patch.object(Path, "open", side_effect=AssertionError("file opened")),
        patch("builtins.open", side_effect=AssertionError("file opened")),
    ):
        catalog = default_catalog()
    assert catalog is catalog_module.default_catalog()
    assert len(catalog) == 519


async def test_clock_writes_are_refused_for_dates_the_pump_cannot_hold(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    with pytest.raises(InvalidValue, match="invalid_time"):
        await client.set_clock(datetime(2100, 1, 1))
    assert pump.requests == []
