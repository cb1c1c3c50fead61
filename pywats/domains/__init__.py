"""The nine WATS domains. Each is a package with ``models``, ``repository`` (endpoints and JSON),
``service`` (the async service users think in) and ``sync_service`` (its one-line sync twin)."""
