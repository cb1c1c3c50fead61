"""Taking secrets out of text a server sent back before it is shown in an exception.

A misconfigured proxy or a debug page may echo the request, Authorization header included.
What the server says is quoted in our errors, so the token (as sent, and decoded to
``user:secret``), auth header values and URL credentials are replaced by ``***`` first.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

__all__ = ["REDACTED", "Redactor"]

REDACTED = "***"
_AUTH_VALUE = re.compile(r"\b(Basic|Bearer|Token)\s+[A-Za-z0-9+/=._~-]+", re.IGNORECASE)
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/\s@:]+:[^/\s@]*@")


class Redactor:
    """Replaces the given secrets, auth header values and URL credentials in text."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = tuple(sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True))

    @classmethod
    def for_token(cls, token: str) -> Redactor:
        """Secrets of a WATS token: the token itself, and ``user:secret`` and the secret."""
        secrets = [token]
        try:
            decoded = base64.b64decode(token, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            decoded = ""
        if decoded:
            secrets.append(decoded)
            if ":" in decoded:
                secrets.append(decoded.split(":", 1)[1])
        return cls(tuple(secrets))

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = _AUTH_VALUE.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
        return _URL_CREDENTIALS.sub(f"{REDACTED}@", text)

    def value(self, data: Any) -> Any:
        """The same, through a decoded JSON value (strings anywhere inside it)."""
        if isinstance(data, str):
            return self(data)
        if isinstance(data, dict):
            return {self(k) if isinstance(k, str) else k: self.value(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self.value(item) for item in data]
        return data
