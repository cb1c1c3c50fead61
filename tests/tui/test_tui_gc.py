"""The footer does not leak nor rebuild for keys it does not show, and full GC passes wait
for idle moments (tui.gc_policy)."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.support.tui import idle
from tests.tui.conftest import Until
from tui.app import WATSApp
from tui.gc_policy import IDLE_AFTER_INPUT, IdleCollector
from tui.widgets.chrome import AppFooter


def footer_keys_alive() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, FooterKey))


class FooterApp(App[None]):
    BINDINGS = [Binding(key, f"noop('{key}')", f"Action {key}") for key in "abcdefgh"]

    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer_class = footer

    def compose(self) -> ComposeResult:
        yield self.footer_class()

    def action_noop(self, key: str) -> None:
        pass


async def count_after_refreshes(footer: type[Footer], refreshes: int) -> int:
    app = FooterApp(footer)
    async with app.run_test() as pilot:
        for _ in range(refreshes):
            app.screen.refresh_bindings()
            await pilot.pause()
        return footer_keys_alive()


async def test_app_footer_frees_the_keys_it_replaces() -> None:
    bounded = await count_after_refreshes(AppFooter, 40)
    assert bounded <= 2 * 8 + 2  # the live keys (and at most one set being replaced)
    # Textual's own Footer keeps every key it ever made: this is the leak AppFooter fixes.
    leaky = await count_after_refreshes(Footer, 40)
    assert leaky > 5 * bounded


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_collector_waits_for_quiet_then_collects_once() -> None:
    clock = FakeClock()
    busy = False
    collector = IdleCollector(lambda: busy, clock=clock)
    assert not collector.tick()  # input (start-up) just happened
    clock.now += IDLE_AFTER_INPUT + 1
    busy = True
    assert not collector.tick()  # a server call is in flight
    busy = False
    assert collector.tick()
    assert not collector.tick()  # nothing new to collect since the last input
    collector.note_input()
    clock.now += 1
    assert not collector.tick()
    clock.now += IDLE_AFTER_INPUT
    assert collector.tick()


async def test_app_footer_rebuilds_only_when_its_keys_change(until: Until) -> None:
    # A screen switch and its load sent about 50 bindings signals; each rebuilt every key.
    app = FooterApp(AppFooter)
    async with app.run_test() as pilot:
        footer = app.query_one(AppFooter)
        await until(pilot, lambda: footer.query_children(FooterKey), what="the footer's keys")
        shown = list(footer.query_children(FooterKey))
        for _ in range(10):
            app.screen.refresh_bindings()
            await pilot.pause()
        assert list(footer.query_children(FooterKey)) == shown  # the same key widgets
        app.bind("z", "noop('z')", description="Action z")
        app.screen.refresh_bindings()
        await pilot.pause()
        assert "Action z" in [key.description for key in footer.query_children(FooterKey)]


async def test_a_rebuild_queued_for_a_footer_whose_screen_went_is_dropped() -> None:
    # Popping a report viewer just as the screen under it started work crashed the app.
    app = FooterApp(AppFooter)
    async with app.run_test() as pilot:
        footer = app.query_one(AppFooter)
        await footer.remove()
        await footer.recompose()  # NoScreen before the fix
        await pilot.pause()


@pytest.mark.start_screen("products")
async def test_a_change_of_hidden_keys_does_not_rebuild_the_footer(
    shell_app: Callable[..., WATSApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Footer shows only bindings with ``show``; focus moving between widgets whose hidden
    keys differ rebuilt the same footer (a fifth of the rebuilds on a walk of every screen)."""
    rebuilds: list[object] = []
    rebuild = Footer.recompose

    async def counted(self: Footer) -> None:
        rebuilds.append(self)
        await rebuild(self)

    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        monkeypatch.setattr(Footer, "recompose", counted)
        focused = app.focused
        assert focused is not None
        focused._bindings.bind("ctrl+k", "app.bell", "Hidden", show=False)
        app.screen.refresh_bindings()
        await idle(pilot)
        assert rebuilds == []
        focused._bindings.bind("f9", "app.bell", "Shown", show=True)
        app.screen.refresh_bindings()
        await idle(pilot)
        assert rebuilds, "a shown key must still rebuild the footer"
