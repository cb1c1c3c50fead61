"""A Textual stylesheet whose parsed rules outlive a re-parse.

Textual re-parses the whole stylesheet (every ``.tcss`` file and every widget's DEFAULT_CSS)
when a screen is shown for the first time: ``switch_mode`` calls ``refresh_css``, whose
``Stylesheet.reparse`` parses into a fresh Stylesheet, and so with an empty parse cache. In
this app that is about 60 ms of tokenising on the event loop at each first visit of a screen,
for the same text with the same variables.

Parsing is a pure function of the CSS text, where it was read from, and the variables, so
the rules are kept in one process-wide cache under exactly those. A theme change gives other
variables, and so parses anew. The rule sets are only read after parsing (Textual already
shares them between parses of one stylesheet), so sharing them between stylesheets, and
between apps in one process, is safe.
"""

from __future__ import annotations

from typing import ClassVar

from textual.cache import LRUCache
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

__all__ = ["SharedParseStylesheet"]

# Variables, CSS text, location, defaults flag, tie breaker, scope.
_Key = tuple[frozenset[tuple[str, str]], str, CSSLocation, bool, int, str]


class SharedParseStylesheet(Stylesheet):
    """A :class:`Stylesheet` that parses each source once per set of variables."""

    # Room for every source of a few themes: the app has about 150 (files, widget defaults).
    _parsed: ClassVar[LRUCache[_Key, list[RuleSet]]] = LRUCache(2048)

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._variables_key: frozenset[tuple[str, str]] | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._variables_key = None

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        if self._variables_key is None:
            self._variables_key = frozenset(self._variables.items())
        key: _Key = (self._variables_key, css, read_from, is_default_rules, tie_breaker, scope)
        rules = self._parsed.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            # Rules with errors are not kept: Textual raises for them, and must again.
            if not any(rule.errors for rule in rules):
                self._parsed.set(key, rules)
        return rules

    def reparse(self) -> None:
        """As :meth:`Stylesheet.reparse`, into a fresh sheet of this class (so cached rules
        are used) instead of a plain Stylesheet."""
        fresh = self.copy()
        try:
            fresh.parse()
        except Exception:
            # Keep the invalid CSS known, as Textual does (textual#3581).
            self._invalid_css.update(fresh._invalid_css)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False

    def copy(self) -> SharedParseStylesheet:
        stylesheet = SharedParseStylesheet(variables=self._variables.copy())
        stylesheet.source = self.source.copy()
        return stylesheet
