"""Framing and checksum against PROTOCOL.md sections 2, 3 and 10 (examples E1-E6)."""

from __future__ import annotations

import pytest

from custom_components.heliotherm_podero.sources.heliotherm.frame import (
    Frame,
    FrameError,
    FrameParser,
    checksum,
    encode_request,
)
from tests.emulators.heliotherm_pump import frame_reply


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace("\n", " "))


REQUEST_VECTORS = [
    ("LIN", "02 FD D0 E0 00 00 05 7E 4C 49 4E 3B 4C"),
    ("LOUT", "02 FD D0 E0 00 00 06 7E 4C 4F 55 54 3B 92"),
    ("SP,NR=13", "02 FD D0 E0 00 00 0A 7E 53 50 2C 4E 52 3D 31 33 3B 94"),
    (
        "SP,NR=69,VAL=21.5",
        "02 FD D0 E0 00 00 13 7E 53 50 2C 4E 52 3D 36 39 2C 56 41 4C 3D 32 31 2E 35 3B 5E",
    ),
    ("MR,0,3", "02 FD D0 E0 00 00 08 7E 4D 52 2C 30 2C 33 3B A2"),
    ("MP,NR=103", "02 FD D0 E0 00 00 0B 7E 4D 50 2C 4E 52 3D 31 30 33 3B E5"),
    ("CLK", "02 FD D0 E0 00 00 05 7E 43 4C 4B 3B 5D"),
    (
        "CLK,DA=21.11.25,TI=14:30:00,WD=5",
        "02 FD D0 E0 00 00 22 7E 43 4C 4B 2C 44 41 3D 32 31 2E 31 31 2E 32 35 2C 54"
        " 49 3D 31 34 3A 33 30 3A 30 30 2C 57 44 3D 35 3B 43",
    ),
    ("RID", "02 FD D0 E0 00 00 05 7E 52 49 44 3B 70"),
    ("ALS", "02 FD D0 E0 00 00 05 7E 41 4C 53 3B 73"),
    ("ALC", "02 FD D0 E0 00 00 05 7E 41 4C 43 3B 43"),
    ("AR,0,1", "02 FD D0 E0 00 00 08 7E 41 52 2C 30 2C 31 3B B0"),
    ("PRL", "02 FD D0 E0 00 00 05 7E 50 52 4C 3B 43"),
    ("PRI0", "02 FD D0 E0 00 00 06 7E 50 52 49 30 3B 19"),
    ("PRD0", "02 FD D0 E0 00 00 06 7E 50 52 44 30 3B 0E"),
    (
        "PRE,PR=0,DAY=2,EV=1",
        "02 FD D0 E0 00 00 15 7E 50 52 45 2C 50 52 3D 30 2C 44 41 59 3D 32 2C 45 56 3D 31 3B D9",
    ),
    ("SP,NR=9", "02 FD D0 E0 00 00 09 7E 53 50 2C 4E 52 3D 39 3B DC"),
    ("MR,0,3,4", "02 FD D0 E0 00 00 0A 7E 4D 52 2C 30 2C 33 2C 34 3B 8C"),
    ("MP,NR=0", "02 FD D0 E0 00 00 09 7E 4D 50 2C 4E 52 3D 30 3B E5"),
    ("SP,NR=171", "02 FD D0 E0 00 00 0B 7E 53 50 2C 4E 52 3D 31 37 31 3B C8"),
]

E2_REPLY = h(
    "02 FD E0 D0 00 00 50 7E 53 50 2C 4E 52 3D 31 33 2C 49 44 3D 31 33 2C 4E 41 4D 45 3D"
    " 42 65 74 72 69 65 62 73 61 72 74 2C 4C 45 4E 3D 31 2C 54 50 3D 30 2C 42 49 54 3D 30 2C"
    " 56 41 4C 3D 31 2C 4D 41 58 3D 37 2C 4D 49 4E 3D 30 2C 57 52 3D 31 2C 55 53 3D 31 3B"
    " 0D 0A 61"
)
E3_REPLY = h(
    "02 FD E0 D0 00 00 5B 7E 53 50 2C 4E 52 3D 36 39 2C 49 44 3D 36 39 2C 4E 41 4D 45 3D"
    " 48 4B 52 20 53 6F 6C 6C 5F 52 61 75 6D 2C 4C 45 4E 3D 34 2C 54 50 3D 31 2C 42 49 54 3D"
    " 31 2C 56 41 4C 3D 32 31 2E 35 2C 4D 41 58 3D 32 35 2E 30 2C 4D 49 4E 3D 31 30 2E 30 2C"
    " 57 52 3D 31 2C 55 53 3D 31 3B 0D 0A AD"
)
E3_TEXT = "SP,NR=69,ID=69,NAME=HKR Soll_Raum,LEN=4,TP=1,BIT=1,VAL=21.5,MAX=25.0,MIN=10.0,WR=1,US=1"
E4_REPLIES = h(
    "02 FD E0 D0 00 00 10 7E 4D 41 2C 30 2C 2D 33 2E 34 2C 31 37 3B 0D 0A 91"
    " 02 FD E0 D0 01 00 10 7E 4D 41 2C 33 2C 33 34 2E 35 2C 31 36 3B 0D 0A 9D"
)
E5_REPLY = h("02 FD E0 D0 02 00 00 7E 45 52 52 2C 49 4E 56 41 4C 49 44 20 49 44 58 3B 0D 0A 75")
E6_REPLY = h(
    "02 FD E0 D0 00 00 24 7E 43 4C 4B 2C 44 41 3D 32 31 2E 31 31 2E 32 35 2C 54 49 3D 31 34"
    " 3A 33 30 3A 30 30 2C 57 44 3D 35 3B 0D 0A 40"
)
OK_REPLY = h("02 FD E0 D0 00 00 06 7E 4F 4B 3B 0D 0A 91")


def parse_all(data: bytes) -> tuple[list[Frame], FrameParser]:
    parser = FrameParser()
    parser.feed(data)
    frames = []
    while (frame := parser.next_frame()) is not None:
        frames.append(frame)
    return frames, parser


@pytest.mark.parametrize(("command", "frame"), REQUEST_VECTORS)
def test_request_vectors(command: str, frame: str) -> None:
    assert encode_request(command) == h(frame)


def test_checksum_vectors_from_the_library_tests() -> None:
    assert encode_request("LIN")[-1] == 0x4C
    assert encode_request("LOUT")[-1] == 0x92
    assert encode_request("")[-1] == 0x98
    assert OK_REPLY[-1] == checksum(OK_REPLY[:-1])


def test_worked_example_running_xor() -> None:
    # PROTOCOL.md 2.3: X = 0xC4 -> CHK 0x4C.
    assert checksum(h("02 FD D0 E0 00 00 05 7E 4C 49 4E 3B")) == 0x4C


@pytest.mark.parametrize(
    ("data", "texts"),
    [
        (OK_REPLY, ["OK"]),
        (
            E2_REPLY,
            ["SP,NR=13,ID=13,NAME=Betriebsart,LEN=1,TP=0,BIT=0,VAL=1,MAX=7,MIN=0,WR=1,US=1"],
        ),
        (E3_REPLY, [E3_TEXT]),
        (E4_REPLIES, ["MA,0,-3.4,17", "MA,3,34.5,16"]),
        (E5_REPLY, ["ERR,INVALID IDX"]),
        (E6_REPLY, ["CLK,DA=21.11.25,TI=14:30:00,WD=5"]),
    ],
)
def test_reply_examples(data: bytes, texts: list[str]) -> None:
    frames, parser = parse_all(data)
    assert [f.text for f in frames] == texts
    assert parser.checksum_errors == 0
    assert parser.buffered == 0


def test_flag_04_reply_with_zero_checksum_is_accepted() -> None:
    data = E3_REPLY[:4] + b"\x04" + E3_REPLY[5:-1] + b"\x00"
    frames, _ = parse_all(data)
    assert frames == [Frame(flag=4, text=E3_TEXT)]


def test_flag_01_frame_checked_with_the_plain_rule_is_rejected() -> None:
    # E4: 0xBC is what the plain rule gives; only 0x9D is valid for flag 01.
    second = E4_REPLIES[24:]
    frames, parser = parse_all(second[:-1] + b"\xbc")
    assert frames == []
    assert parser.checksum_errors == 1


@pytest.mark.parametrize("wrong", [0x46, 0x73])
def test_zero_length_error_reply_needs_the_corrected_checksum(wrong: int) -> None:
    frames, parser = parse_all(E5_REPLY[:-1] + bytes((wrong,)))
    assert frames == []
    assert parser.checksum_errors == 1


@pytest.mark.parametrize("data", [OK_REPLY, E2_REPLY, E4_REPLIES, E5_REPLY, E6_REPLY])
def test_reply_split_at_every_byte_boundary(data: bytes) -> None:
    expected = [f.text for f in parse_all(data)[0]]
    for cut in range(1, len(data)):
        parser = FrameParser()
        got = []
        for piece in (data[:cut], data[cut:]):
            parser.feed(piece)
            while (frame := parser.next_frame()) is not None:
                got.append(frame.text)
        assert got == expected, cut


def test_reply_fed_byte_by_byte() -> None:
    parser = FrameParser()
    got = []
    for byte in E4_REPLIES + E5_REPLY:
        parser.feed(bytes((byte,)))
        while (frame := parser.next_frame()) is not None:
            got.append(frame.text)
    assert got == ["MA,0,-3.4,17", "MA,3,34.5,16", "ERR,INVALID IDX"]


def test_resynchronises_after_garbage() -> None:
    garbage = b"\x00\x02\xfd\x13\x11\xffjunk\x02\xfd\xe0"
    frames, parser = parse_all(garbage + E6_REPLY + b"\x7e\x3b" + OK_REPLY)
    assert [f.text for f in frames] == ["CLK,DA=21.11.25,TI=14:30:00,WD=5", "OK"]
    assert parser.discarded_bytes == len(garbage) + 2


def test_unknown_flag_is_not_a_frame() -> None:
    data = OK_REPLY[:4] + b"\x03" + OK_REPLY[5:]
    frames, _ = parse_all(data)
    assert frames == []


def test_payload_must_be_tilde_text_semicolon_crlf() -> None:
    for payload in (b"xOK;\r\n", b"~OK:\r\n", b"~O;K;\r\n"):
        header = b"\x02\xfd\xe0\xd0\x00\x00" + bytes((len(payload),))
        data = header + payload + bytes((checksum(header + payload),))
        assert parse_all(data)[0] == []


def test_zero_length_without_crlf_waits_then_gives_up() -> None:
    parser = FrameParser()
    parser.feed(b"\x02\xfd\xe0\xd0\x02\x00\x00~ERR")
    assert parser.next_frame() is None
    assert parser.buffered > 0
    parser.feed(b"x" * 300)
    assert parser.next_frame() is None


def test_negative_corrected_length_is_rejected() -> None:
    # Flag 02 announcing LEN=01: the corrected length would be negative.
    data = b"\x02\xfd\xe0\xd0\x02\x00\x01~\x00"
    frames, _ = parse_all(data)
    assert frames == []


def test_non_ascii_reply_decodes_as_latin1() -> None:
    frames, _ = parse_all(frame_reply("OK").replace(b"OK", b"O\xe4"))
    assert frames == []  # the checksum no longer matches: nothing is yielded
    header = b"\x02\xfd\xe0\xd0\x00\x00"
    payload = "~Stör;\r\n".encode("latin-1")
    data = header + bytes((len(payload),)) + payload
    frames, _ = parse_all(data + bytes((checksum(data),)))
    assert [f.text for f in frames] == ["Stör"]


def test_request_limits() -> None:
    assert encode_request("A" * 253)[6] == 255
    with pytest.raises(FrameError):
        encode_request("A" * 254)
    with pytest.raises(FrameError):
        encode_request("SP;NR=1")
    with pytest.raises(FrameError):
        encode_request("Grüße")


@pytest.mark.parametrize("flag", [0x00, 0x01, 0x02, 0x04, 0x08])
@pytest.mark.parametrize("zero_length", [False, True])
def test_emulator_framing_round_trips(flag: int, zero_length: bool) -> None:
    frames, parser = parse_all(frame_reply("MA,11,46.0,16", flag, zero_length=zero_length))
    assert frames == [Frame(flag=flag, text="MA,11,46.0,16")]
    assert parser.checksum_errors == 0
