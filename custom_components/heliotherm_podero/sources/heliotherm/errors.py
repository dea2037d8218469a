"""Errors only the Heliotherm serial protocol knows (the common ones are in ``model``)."""

from __future__ import annotations

from ..model import ProtocolError, SourceError


class ChecksumError(ProtocolError):
    """A reply frame carried a wrong checksum; its content was discarded."""


class DeviceError(SourceError):
    """The device answered with an error reply (``ERR,...``)."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


class PointNotFound(DeviceError):
    """The device does not know this data point or index (``ERR,INVALID IDX``)."""
