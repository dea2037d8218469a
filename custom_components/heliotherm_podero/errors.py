"""Turn source errors into the translated Home Assistant exceptions users see: the one boundary.

``translated_errors()`` wraps every call into a source from an entity, a service or a helper;
what comes out is a translated ``ServiceValidationError`` (refused before sending) or
``HomeAssistantError`` (rejected, forbidden, or the link failed).
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
