"""The command palette: screens and the current screen's actions, from the same bindings
that feed the footer and F1 help, so the three can never disagree; plus look-ups by typed
text ("Go to unit SN-0042") that screens declare in ``WATSScreen.PALETTE_LOOKUPS``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.help import screen_bindings
from tui.navigation import nav_entries, palette_entries

__all__ = ["WATSCommands"]


class WATSCommands(Provider):
    """ "Go to <screen>" for every registered screen, and every enabled action of this screen."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for entry in nav_entries():
            commands.append(
                (
                    f"Go to {entry.title}",
                    f"key {entry.key}: {entry.description}",
                    partial(self.app.run_action, f"go({entry.name!r})"),
                )
            )
        for entry in palette_entries():
            commands.append(
                (
                    f"Go to {entry.title}",
                    entry.description,
                    partial(self.app.run_action, f"go({entry.name!r})"),
                )
            )
        for row in screen_bindings(self.screen):
            if not row.enabled or not row.is_action:
                continue  # busy actions are refused anyway; widget movement keys are noise
            commands.append(
                (
                    row.description,
                    f"key {row.key}",
                    partial(self.app.run_action, row.action, row.namespace),
                )
            )
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        text = query.strip()
        if not text:
            return
        for entry in nav_entries():
            lookups: dict[str, str] = getattr(entry.factory, "PALETTE_LOOKUPS", {})
            for label, method in lookups.items():
                # Below any command whose name matches, above nothing: the text is data.
                yield Hit(
                    0.5,
                    f"{label} {text}",
                    partial(self._look_up, entry.name, method, text),
                    help=f"opens {entry.title} (key {entry.key})",
                )

    async def _look_up(self, mode: str, method: str, text: str) -> None:
        await self.app.switch_mode(mode)
        screen = self.app.screen_stack[0]  # the mode's own screen, under anything pushed
        getattr(screen, method)(text)
