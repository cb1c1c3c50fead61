"""The app's screens. Every module here is imported at start-up (tui.navigation), so a
domain screen only needs its ``@register_screen(...)`` line to appear in the app."""
