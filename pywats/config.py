"""Where connection settings come from: explicit arguments > environment > config file.

The config file is TOML in the user's config directory (``platformdirs``), written with mode
0600 because it holds the token. A bad value raises :class:`ConfigError` naming the setting
and where it came from, so "WATS_TIMEOUT (from environment): not a number" is all a user needs.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import stat
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
from pydantic import SecretStr

from pywats.errors import ConfigError

__all__ = [
    "Settings",
    "check_token",
    "default_config_path",
    "load_settings",
    "save_settings",
]

logger = logging.getLogger("pywats.config")

APP_NAME = "pywats"
DEFAULT_CONFIG_PATH_ENV = "PYWATS_CONFIG"


def default_config_path() -> Path:
    """The config file: ``$PYWATS_CONFIG`` if set, else ``<user config dir>/pywats/config.toml``."""
    override = os.environ.get(DEFAULT_CONFIG_PATH_ENV)
    if override:
        return Path(override)
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


# setting name -> environment variable
ENV_VARS: dict[str, str] = {
    "url": "WATS_URL",
    "token": "WATS_TOKEN",
    "ca_bundle": "WATS_CA_BUNDLE",
    "verify": "WATS_VERIFY",
    "timeout": "WATS_TIMEOUT",
    "max_retries": "WATS_MAX_RETRIES",
    "proxy": "WATS_PROXY",
}


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings. The token is a ``SecretStr``: its repr shows stars."""

    url: str
    token: SecretStr = field(default_factory=lambda: SecretStr(""))
    ca_bundle: str | None = None
    verify: bool = True
    timeout: float | None = None
    max_retries: int | None = None
    proxy: str | None = None
    # setting name -> where its value came from ("argument", "environment (WATS_URL)", a path)
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)


def _without_credentials(text: str) -> str:
    """The URL as it may be shown: anything up to its last ``@`` (``user:password@``) hidden.

    The last ``@`` after the scheme, not the first ``/``: a password may hold a slash."""
    scheme, sep, rest = text.partition("://")
    if not sep or "@" not in rest:
        return text
    return f"{scheme}{sep}***@{rest.rsplit('@', 1)[1]}"


def normalise_url(value: str, source: str) -> str:
    """Check a server URL and strip a trailing slash; raise ConfigError naming the source.

    A URL with a user and password, a query or a fragment is refused: credentials belong in
    the token (never shown), and a query would be glued onto every API path.
    """
    text = value.strip()
    shown = _without_credentials(text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ConfigError("url", source, f"{shown!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            "url",
            source,
            f"{shown!r} is not an http(s) URL; expected e.g. https://wats.example.com",
        )
    # A server root never holds an "@"; one means credentials, however it would parse
    # ("https://bob:12/x@host" parses as host bob, port 12).
    if parts.username is not None or parts.password is not None or "@" in text:
        raise ConfigError(
            "url",
            source,
            f"{shown!r} holds a user name or password; give the server URL alone and the "
            "credentials as the token",
        )
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ConfigError(
            "url", source, "must not hold a query (?...) or a fragment (#...); give the server root"
        )
    del port  # parsed only to refuse a non-numeric port
    return text.rstrip("/")


def check_token(value: str, source: str) -> str:
    """A token goes into an HTTP header: printable ASCII only. The message never shows it."""
    if not value.isascii():
        raise ConfigError(
            "token", source, "holds non-ASCII characters; a WATS token is base64 text"
        )
    if any(not (0x20 < ord(ch) < 0x7F) for ch in value):
        raise ConfigError(
            "token",
            source,
            "holds spaces or control characters (such as a line break); a WATS token is one "
            "line of base64 text",
        )
    return value


def _parse_bool(name: str, value: Any, source: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(name, source, f"{value!r} is not a boolean (use true or false)")


def _parse_timeout(value: Any, source: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError("timeout", source, f"{value!r} is not a number of seconds") from None
    if not math.isfinite(number) or number <= 0:
        raise ConfigError("timeout", source, f"{value!r} must be a positive number of seconds")
    return number


def _parse_retries(value: Any, source: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError("max_retries", source, f"{value!r} is not a whole number") from None
    if isinstance(value, bool) or number < 0 or number > 20:
        raise ConfigError("max_retries", source, f"{value!r} must be between 0 and 20")
    return number


def _parse_ca_bundle(value: Any, source: str) -> str:
    path = Path(str(value)).expanduser()
    if not path.is_file():
        raise ConfigError("ca_bundle", source, f"{str(path)!r} is not a readable file")
    return str(path)


def _parse_str(name: str, value: Any, source: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(name, source, f"expected a string, got {type(value).__name__}")
    return value


def read_config_file(path: Path) -> dict[str, Any]:
    """Read the TOML config file; a missing file is an empty config."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError("config file", str(path), f"cannot be read: {exc.strerror}") from None
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        # Same stance as ssh: say so loudly, but still work, so a station is not locked out.
        logger.warning(
            "config file %s is readable by other users (mode %o); run: chmod 600 %s",
            path,
            stat.S_IMODE(mode),
            path,
        )
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("config file", str(path), f"is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(ENV_VARS))
    if unknown:
        raise ConfigError(
            unknown[0], str(path), f"unknown setting; known settings are {', '.join(ENV_VARS)}"
        )
    return data


def load_settings(
    *,
    url: str | None = None,
    token: str | SecretStr | None = None,
    ca_bundle: str | None = None,
    verify: bool | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    proxy: str | None = None,
    config_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings: explicit arguments win over the environment, which wins over the file."""
    env = os.environ if environ is None else environ
    path = config_path if config_path is not None else default_config_path()
    explicit: dict[str, Any] = {
        "url": url,
        "token": token.get_secret_value() if isinstance(token, SecretStr) else token,
        "ca_bundle": ca_bundle,
        "verify": verify,
        "timeout": timeout,
        "max_retries": max_retries,
        "proxy": proxy,
    }
    file_values: dict[str, Any] | None = None
    chosen: dict[str, tuple[Any, str]] = {}
    for name, env_var in ENV_VARS.items():
        if explicit[name] is not None:
            chosen[name] = (explicit[name], "argument")
        elif env.get(env_var):
            chosen[name] = (env[env_var], f"environment ({env_var})")
        else:
            if file_values is None:
                file_values = read_config_file(path)
            if name in file_values:
                chosen[name] = (file_values[name], str(path))

    if "url" not in chosen:
        raise ConfigError(
            "url",
            "nowhere",
            f"no server URL given; pass base_url=, set WATS_URL, or save one in {path}",
        )
    sources = {name: src for name, (_, src) in chosen.items()}
    url_value, url_source = chosen["url"]
    values: dict[str, Any] = {
        "url": normalise_url(_parse_str("url", url_value, url_source), url_source)
    }
    if "token" in chosen:
        value, source = chosen["token"]
        values["token"] = SecretStr(check_token(_parse_str("token", value, source).strip(), source))
    if "ca_bundle" in chosen:
        values["ca_bundle"] = _parse_ca_bundle(*chosen["ca_bundle"])
    if "verify" in chosen:
        values["verify"] = _parse_bool("verify", *chosen["verify"])
    if "timeout" in chosen:
        values["timeout"] = _parse_timeout(*chosen["timeout"])
    if "max_retries" in chosen:
        values["max_retries"] = _parse_retries(*chosen["max_retries"])
    if "proxy" in chosen:
        value, source = chosen["proxy"]
        values["proxy"] = _parse_str("proxy", value, source)
    return Settings(**values, sources=sources)


def _toml_value(value: str | bool | int | float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if any(ord(ch) < 0x20 for ch in escaped):
        raise ConfigError("config file", "save", "values may not contain control characters")
    return f'"{escaped}"'


def save_settings(values: Mapping[str, str | bool | int | float], path: Path | None = None) -> Path:
    """Write settings to the TOML config file with mode 0600 and return its path.

    The file is created with 0600 before any byte is written, so the token is never readable
    by others, not even briefly; an existing file is tightened to 0600 as well.
    """
    target = path if path is not None else default_config_path()
    unknown = sorted(set(values) - set(ENV_VARS))
    if unknown:
        raise ConfigError(unknown[0], "save", "unknown setting")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = "".join(f"{name} = {_toml_value(value)}\n" for name, value in values.items())
    # A fresh, unpredictable temporary file (O_EXCL | O_NOFOLLOW, mode 0600): a file or
    # symlink planted beside the config cannot receive the token.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        try:
            if hasattr(os, "fchmod"):  # mkstemp made it 0600 already; Windows lacks fchmod < 3.13
                os.fchmod(fd, 0o600)
            os.write(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
