"""Settings that cannot leak or be hijacked, resolved once, and retries rebuilt from inputs."""

from __future__ import annotations

import asyncio
import os
import warnings
from pathlib import Path

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.config import save_settings
from pywats.emulator.testing import InProcessEmulator
from pywats.errors import ConfigError


@pytest.fixture(autouse=True)
def no_settings_from_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("WATS_URL", "WATS_TOKEN", "WATS_CA_BUNDLE", "WATS_VERIFY", "WATS_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYWATS_CONFIG", str(tmp_path / "none.toml"))


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://ops:hunter2@wats.example.com", "user name or password"),
        ("https://hunter2@wats.example.com", "user name or password"),
        ("https://wats.example.com/?token=hunter2", "query"),
        ("https://wats.example.com/#hunter2", "fragment"),
        ("ftp://ops:hunter2@wats.example.com", "not an http(s) URL"),
        ("https://ops:hunter2@wats.example.com:notaport", "not a valid URL"),
    ],
)
@pytest.mark.parametrize("client", [AsyncWATS, SyncWATS])
def test_a_base_url_with_credentials_query_or_fragment_is_refused_without_echoing_it(
    client: type[AsyncWATS] | type[SyncWATS], url: str, problem: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        client(url, "dG9rZW4=")
    assert problem in str(caught.value)
    assert "hunter2" not in str(caught.value) and "hunter2" not in repr(caught.value)


@pytest.mark.parametrize(
    "token", ["tøken", "abc\r\nX-Evil: 1", "abc\ndef", "abc\x00", "ab cd", "abc\tdef"]
)
@pytest.mark.parametrize("client", [AsyncWATS, SyncWATS])
def test_a_token_that_cannot_be_a_header_is_a_config_error_at_construction(
    client: type[AsyncWATS] | type[SyncWATS], token: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        client("https://wats.example.com", token)
    assert caught.value.setting == "token"
    assert token.strip() not in str(caught.value)


def test_a_bad_token_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WATS_TOKEN", "secret\x07value")
    with pytest.raises(ConfigError, match=r"token \(from environment \(WATS_TOKEN\)\)") as caught:
        SyncWATS("https://wats.example.com")
    assert "secret" not in str(caught.value)


def test_sync_wats_surfaces_a_bad_ca_bundle_at_construction(tmp_path: Path) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(ConfigError, match="ca_bundle"):
        SyncWATS("https://wats.example.com", "dG9rZW4=", ca_bundle=str(bogus))


@pytest.mark.parametrize("client", [AsyncWATS, SyncWATS])
def test_the_plain_http_warning_points_at_the_callers_line(
    client: type[AsyncWATS] | type[SyncWATS],
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        made = client("http://wats.example.com", "dG9rZW4=")  # the line the warning names
    messages = [w for w in caught if "unencrypted" in str(w.message)]
    assert len(messages) == 1
    assert Path(messages[0].filename).resolve() == Path(__file__).resolve()
    first_line = test_the_plain_http_warning_points_at_the_callers_line.__code__.co_firstlineno
    assert messages[0].lineno == first_line + 6
    if isinstance(made, SyncWATS):
        made.close()


def test_sync_wats_resolves_its_settings_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import pywats.options

    calls: list[object] = []
    real = pywats.options.load_settings

    def counting(**kwargs: object) -> object:
        calls.append(kwargs)
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pywats.options, "load_settings", counting)
    emulator = InProcessEmulator()
    try:
        with SyncWATS(**emulator.sdk_kwargs()) as wats:
            assert wats.get_version()
            assert wats.get_version()
    finally:
        emulator.close()
    assert len(calls) == 1


def test_the_config_file_is_written_through_a_fresh_private_file(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    # The fixed temporary name an attacker would guess, planted as a symlink.
    (tmp_path / "config.toml.tmp").symlink_to(victim)
    save_settings({"url": "https://wats.example.com", "token": "dG9rZW4="}, target)
    assert victim.read_text() == "keep me"
    assert (os.stat(target).st_mode & 0o777) == 0o600
    assert 'token = "dG9rZW4="' in target.read_text()
    assert not target.is_symlink()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".config.toml.")]
    assert leftovers == []


def test_a_config_file_that_is_a_symlink_is_replaced_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "config.toml"
    target.symlink_to(victim)
    save_settings({"url": "https://wats.example.com"}, target)
    assert victim.read_text() == "keep me"
    assert not target.is_symlink()


async def test_a_retried_multipart_put_is_rebuilt_and_works(emulator: InProcessEmulator) -> None:
    """import_serial_numbers is a multipart PUT; a 503 makes the SDK send it again."""
    emulator.faults.update(error_rate=1.0, error_status=503, budget=1)
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        wats.http._sleep = lambda _s: asyncio.sleep(0)
        result = await wats.production.import_serial_numbers(
            "BoardSN", "SerialNumber\nBRD-900001\nBRD-900002\n"
        )
    assert (result.imported, result.skipped) == (2, 0)
    puts = [r for r in emulator.traffic.requests if r[0] == "PUT"]
    assert len(puts) == 2  # the 503, then the rebuilt request


@pytest.mark.parametrize(
    "url", ["https://user:pa/ss@wats.example.com", "https://bob:12/x@wats.example.com"]
)
def test_an_at_sign_anywhere_in_the_url_is_refused_and_hidden(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        AsyncWATS(url, "dG9rZW4=")
    assert "pa/ss" not in str(caught.value) and "12/x" not in str(caught.value)


def test_a_proxy_password_stays_out_of_the_config_repr() -> None:
    from pywats.options import resolve_config

    config = resolve_config(
        "https://wats.example.com", "dG9rZW4=", proxy="http://ops:hunter2@proxy.local:3128"
    )
    assert "hunter2" not in repr(config)
    assert config.proxy == "http://ops:hunter2@proxy.local:3128"
