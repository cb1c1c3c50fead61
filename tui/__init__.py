"""pywats-tui: the Textual terminal app for WATS, built on the async SDK.

Layout of the package:

- ``app``: the App shell (header, navigation, footer, command palette, F1 help, themes).
- ``workers``: the ONE way a screen runs server calls (``WorkerScreen.run_task``).
- ``screen``: ``WATSScreen``, the base class of every domain screen (chrome + workers).
- ``navigation``: the registry a domain screen joins with one decorator line.
- ``errors``: pywats exceptions turned into text a technician can act on.
- ``screens/``: the screens; every module there is imported at start-up, so a new screen only
  has to exist and carry ``@register_screen(...)``.
"""
