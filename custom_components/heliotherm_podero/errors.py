"""Turn source errors into the translated Home Assistant exceptions users see: the one boundary.

The coordinator's door translates every command's error here; ``translated_errors()`` wraps
the reads a service or an entity makes. What comes out is a translated
``ServiceValidationError`` (refused before sending) or ``HomeAssistantError`` (rejected,
forbidden, or the link failed), caused by the source's own error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN
from .sources.model import Forbidden, InvalidValue, SourceError, WriteRejected


def translate_source_error(err: SourceError) -> HomeAssistantError:
    """Refused before sending -> validation error; rejected or failed write -> error."""
    if isinstance(err, InvalidValue):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.reason,
            translation_placeholders=err.details,
        )
    if isinstance(err, WriteRejected):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="write_rejected",
            translation_placeholders={
                "key": err.key,
                "requested": str(err.requested),
                "reported": str(err.reported),
            },
        )
    if isinstance(err, Forbidden):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="write_forbidden",
            translation_placeholders={"error": str(err)},
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="communication_error",
        translation_placeholders={"error": str(err)},
    )


@contextmanager
def translated_errors() -> Iterator[None]:
    """Source errors raised inside come out translated (see ``translate_source_error``)."""
    try:
        yield
    except SourceError as err:
        raise translate_source_error(err) from err


def source_error_of(err: BaseException) -> SourceError | None:
    """The source's own error behind ``err`` (itself, or what a translated error came from)."""
    if isinstance(err, SourceError):
        return err
    cause = err.__cause__
    return cause if isinstance(cause, SourceError) else None
