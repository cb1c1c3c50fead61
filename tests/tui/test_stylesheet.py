"""tui.stylesheet: a first visit of a screen does not parse the stylesheet again."""

from __future__ import annotations

from typing import Any

import pytest
from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet, StylesheetParseError

from tests.support.tui import idle
from tests.tui.conftest import ShellAppFactory
from tui.stylesheet import SharedParseStylesheet


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    parsed: list[Any] = []
    original = Stylesheet._parse_rules

    def counting(self: Stylesheet, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Any:
        # The tie breaker is part of the rules: Textual lowers it when a class is met again
        # deeper in a widget's ancestry, and that is a new parse.
        tie_breaker = args[1] if len(args) > 1 else kwargs.get("tie_breaker", 0)
        parsed.append((read_from, tie_breaker))
        return original(self, css, read_from, *args, **kwargs)

    # The parent's method, which the shared cache calls only on a miss.
    monkeypatch.setattr(Stylesheet, "_parse_rules", counting)
    return parsed


async def test_each_source_is_parsed_once_however_many_screens_open(
    shell_app: ShellAppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SharedParseStylesheet, "_parsed", LRUCache(2048))  # a cold process
    parsed = count_parses(monkeypatch)
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        for key in "2345":  # each a first visit: Textual re-parses the whole sheet for it
            await pilot.press("escape", key)
            await idle(pilot)
    assert parsed, "nothing was parsed: the test no longer sees the parser"
    assert len(parsed) == len(set(parsed)), "a source was parsed twice"
    assert isinstance(app.stylesheet, SharedParseStylesheet)
    # A second app in the same process parses nothing.
    parsed.clear()
    async with shell_app().run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("escape", "2")
        await idle(pilot)
    assert parsed == []


def test_other_variables_parse_anew_and_give_their_own_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    css = "Label { color: $accent; }"
    light, dark = {"accent": "#ff0000"}, {"accent": "#0000ff"}

    def rules(variables: dict[str, str]) -> str:
        sheet = SharedParseStylesheet(variables=variables)
        sheet.add_source(css, read_from=("test.tcss", ""))
        sheet.parse()
        return sheet.css

    first_light, first_dark = rules(light), rules(dark)
    assert "#FF0000" in first_light.upper() and "#0000FF" in first_dark.upper()
    parsed = count_parses(monkeypatch)
    assert (rules(light), rules(dark)) == (first_light, first_dark)
    assert parsed == []  # both came from the cache
    # A theme change on a live sheet: set_variables, then reparse, gives the new colour.
    sheet = SharedParseStylesheet(variables=light)
    sheet.add_source(css, read_from=("test.tcss", ""))
    sheet.parse()
    sheet.set_variables(dark)
    sheet.reparse()
    assert "#0000FF" in sheet.css.upper()


def test_css_with_errors_is_refused_every_time() -> None:
    for _ in range(2):  # not cached as if it were good
        sheet = SharedParseStylesheet()
        sheet.add_source("Label { colour: red; }", read_from=("bad.tcss", ""))
        with pytest.raises(StylesheetParseError):
            sheet.parse()
