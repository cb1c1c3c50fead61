"""Config: arguments > environment > file; bad values name the setting and its source."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.config import load_settings, save_settings
from pywats.errors import ConfigError
from tests.support.loopback_server import LoopbackServer


def test_precedence_argument_over_environment_over_file(tmp_path: Path) -> None:
    path = save_settings(
        {"url": "https://file.example.com", "token": "file-token", "timeout": 5},
        tmp_path / "c.toml",
    )
    env = {"WATS_URL": "https://env.example.com", "WATS_TIMEOUT": "7"}
    settings = load_settings(config_path=path, environ=env)
    assert settings.url == "https://env.example.com"
    assert settings.timeout == 7.0
    assert settings.token.get_secret_value() == "file-token"
    assert settings.sources == {
        "url": "environment (WATS_URL)",
        "timeout": "environment (WATS_TIMEOUT)",
        "token": str(path),
    }
    explicit = load_settings(url="https://arg.example.com/", config_path=path, environ=env)
    assert explicit.url == "https://arg.example.com"
    assert explicit.sources["url"] == "argument"


def test_saved_file_is_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "config.toml"
    target.parent.mkdir()
    target.write_text('url = "https://old"\n')
    target.chmod(0o644)
    save_settings({"url": "https://wats.example.com", "token": 'tok"en\\x'}, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    settings = load_settings(config_path=target, environ={})
    assert settings.token.get_secret_value() == 'tok"en\\x'


def test_world_readable_file_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    target = tmp_path / "config.toml"
    target.write_text('url = "https://wats.example.com"\n')
    target.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="pywats.config"):
        load_settings(config_path=target, environ={})
    assert "chmod 600" in caplog.text


@pytest.mark.parametrize(
    ("env", "setting", "source", "problem"),
    [
        ({"WATS_URL": "wats.example.com"}, "url", "environment (WATS_URL)", "not an http(s) URL"),
        ({"WATS_TIMEOUT": "soon"}, "timeout", "environment (WATS_TIMEOUT)", "not a number"),
        ({"WATS_TIMEOUT": "-3"}, "timeout", "environment (WATS_TIMEOUT)", "positive"),
        ({"WATS_MAX_RETRIES": "many"}, "max_retries", "environment (WATS_MAX_RETRIES)", "whole"),
        ({"WATS_VERIFY": "maybe"}, "verify", "environment (WATS_VERIFY)", "not a boolean"),
        ({"WATS_CA_BUNDLE": "/nope.pem"}, "ca_bundle", "environment (WATS_CA_BUNDLE)", "not a"),
    ],
)
def test_bad_environment_value_names_setting_and_source(
    tmp_path: Path, env: dict[str, str], setting: str, source: str, problem: str
) -> None:
    full = {"WATS_URL": "https://wats.example.com", **env}
    with pytest.raises(ConfigError) as caught:
        load_settings(config_path=tmp_path / "none.toml", environ=full)
    assert caught.value.setting == setting
    assert caught.value.source == source
    assert problem in str(caught.value)


def test_bad_file_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    target.write_text('url = "https://x"\ntimeout = "fast"\n')
    with pytest.raises(
        ConfigError, match=r"timeout \(from .*config.toml\): 'fast' is not a number"
    ):
        load_settings(config_path=target, environ={})
    target.write_text("url = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(config_path=target, environ={})
    target.write_text('url = "https://x"\ntokn = "typo"\n')
    with pytest.raises(ConfigError, match=r"tokn .*unknown setting"):
        load_settings(config_path=target, environ={})


def test_missing_url_says_where_to_put_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="WATS_URL"):
        load_settings(config_path=tmp_path / "none.toml", environ={})


def test_clients_read_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PYWATS_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("WATS_URL", "https://env.example.com/")
    monkeypatch.setenv("WATS_TOKEN", "t")
    assert SyncWATS().base_url == "https://env.example.com"
    assert AsyncWATS().base_url == "https://env.example.com"
    monkeypatch.setenv("WATS_MAX_RETRIES", "x")
    with pytest.raises(ConfigError, match="WATS_MAX_RETRIES"):
        SyncWATS()


def test_sync_client_keeps_the_settings_it_resolved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The async client behind SyncWATS is built later, on first use; it must not re-read a
    changed environment and talk to another server than the one SyncWATS reported."""
    monkeypatch.setenv("PYWATS_CONFIG", str(tmp_path / "none.toml"))
    with LoopbackServer() as server:
        monkeypatch.setenv("WATS_URL", server.url)
        monkeypatch.setenv("WATS_TOKEN", "first")
        with SyncWATS() as wats:
            monkeypatch.setenv("WATS_URL", "https://elsewhere.example.com")
            monkeypatch.setenv("WATS_TOKEN", "second")
            assert wats.get_version() == "24.1.0"
            assert wats.base_url == server.url
        assert server.requests[0].headers["authorization"] == "Basic first"


def test_plain_http_to_remote_host_warns() -> None:
    with pytest.warns(UserWarning, match="unencrypted"):
        AsyncWATS("http://wats.factory.example", "tok")
