"""The one ISO-8601 reader for query parameters, bodies, OData literals and the CLI."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_iso(text: str) -> datetime:
    """A timezone-aware datetime; a trailing Z is UTC, and no offset at all means UTC too
    (the server stores UTC). Raises ValueError for anything else."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)
