"""Shared test configuration."""

# Emulator fixtures: emulator, emulator_client, emulator_server, emulator_config, contract.
pytest_plugins = ["pywats.emulator.pytest_plugin"]
