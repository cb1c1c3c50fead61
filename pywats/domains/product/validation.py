"""Input checks run before any product request is sent, so bad input never half-writes.

The limits match what a WATS server stores: part numbers and revisions are at most 100
characters, and they travel in URL paths, so path separators, URL syntax and control
characters are refused (IIS/ASP.NET rejects them in a path segment anyway).
"""

from __future__ import annotations

import re

from pywats.errors import WATSValidationError

__all__ = [
    "NAME_MAX",
    "PART_NUMBER_MAX",
    "REVISION_MAX",
    "check_identifier",
    "check_part_number",
    "check_revision",
    "check_tag_key",
    "check_text",
]

PART_NUMBER_MAX = 100
REVISION_MAX = 100
NAME_MAX = 100
VENDOR_NAME_MAX = 100

_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f/\\?#%]")
_TAG_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def check_identifier(value: object, field: str, what: str, max_length: int) -> str:
    """A part number, revision or similar key: a non-empty, trimmed, path-safe string."""
    if not isinstance(value, str):
        raise WATSValidationError(
            f"{what} must be a string, got {type(value).__name__}", field=field
        )
    if not value.strip():
        raise WATSValidationError(f"{what} must not be empty", field=field)
    if value != value.strip():
        raise WATSValidationError(
            f"{what} {value!r} must not start or end with whitespace", field=field
        )
    if len(value) > max_length:
        raise WATSValidationError(
            f"{what} is {len(value)} characters long; the server allows at most {max_length}",
            field=field,
        )
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise WATSValidationError(
            f"{what} holds a lone surrogate (text that is not valid Unicode, often from a "
            "mis-decoded scan or file); fix the input",
            field=field,
        )
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        raise WATSValidationError(
            f"{what} {value!r} contains {bad.group()!r}; the server does not accept "
            "control characters or any of / \\ ? # %",
            field=field,
        )
    if value in (".", ".."):
        raise WATSValidationError(f"{what} cannot be {value!r}", field=field)
    return value


def check_part_number(value: object, field: str = "part_number") -> str:
    return check_identifier(value, field, "part number", PART_NUMBER_MAX)


def check_revision(value: object, field: str = "revision") -> str:
    return check_identifier(value, field, "revision", REVISION_MAX)


def check_text(value: str | None, field: str, max_length: int) -> str | None:
    """An optional free-text field (name, vendor): no control characters, bounded length."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise WATSValidationError(f"must be a string, got {type(value).__name__}", field=field)
    if len(value) > max_length:
        raise WATSValidationError(
            f"is {len(value)} characters long; the server allows at most {max_length}",
            field=field,
        )
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
        raise WATSValidationError("must not contain control characters", field=field)
    return value


def check_tag_key(key: object, field: str = "tags") -> str:
    """Tags are stored as XML elements named by their key, so a key must be an XML name."""
    if not isinstance(key, str) or not _TAG_KEY.match(key):
        raise WATSValidationError(
            f"tag key {key!r} must start with a letter or _ and hold only letters, digits, "
            "_, - and .",
            field=field,
        )
    return key
