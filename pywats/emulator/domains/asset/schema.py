"""Tables of the asset domain: types with their limits, assets, their log and their files.

Dates are fixed-width UTC text (``2026-01-01T08:00:00.000Z``) so they sort and compare as text
and SQLite's ``julianday()`` reads them. ``running_since`` is when the running count was last
reset (registration, calibration, maintenance or ResetRunningCount): usage from a report that
ran before it is lifetime usage only.
"""

from __future__ import annotations

SCHEMA = """
CREATE TABLE IF NOT EXISTS asset_type (
    type_id TEXT PRIMARY KEY,
    type_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    running_count_limit INTEGER,
    total_count_limit INTEGER,
    maintenance_interval REAL,            -- days
    calibration_interval REAL,            -- days
    warning_threshold REAL,               -- percent of each limit
    alarm_threshold REAL,                 -- percent of each limit
    is_readonly INTEGER NOT NULL DEFAULT 0,
    icon TEXT
);
CREATE TABLE IF NOT EXISTS asset (
    asset_id TEXT PRIMARY KEY,
    serial_number TEXT NOT NULL UNIQUE COLLATE NOCASE,
    type_id TEXT NOT NULL REFERENCES asset_type(type_id),
    parent_asset_id TEXT REFERENCES asset(asset_id),
    asset_name TEXT,
    part_number TEXT,
    revision TEXT,
    client_id INTEGER,
    state INTEGER NOT NULL DEFAULT 1,
    description TEXT,
    location TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT,
    last_maintenance TEXT,
    last_calibration TEXT,
    total_count INTEGER NOT NULL DEFAULT 0,
    running_count INTEGER NOT NULL DEFAULT 0,
    running_since TEXT NOT NULL,
    tags TEXT                             -- JSON list of {name, value}
);
CREATE INDEX IF NOT EXISTS asset_parent ON asset(parent_asset_id);
CREATE INDEX IF NOT EXISTS asset_type_index ON asset(type_id);
CREATE TABLE IF NOT EXISTS asset_log (
    log_id INTEGER PRIMARY KEY AUTOINCREMENT,
    asset_id TEXT NOT NULL REFERENCES asset(asset_id) ON DELETE CASCADE,
    serial_number TEXT NOT NULL,
    date TEXT NOT NULL,
    user TEXT,
    type INTEGER NOT NULL,
    property TEXT,
    value TEXT,
    comment TEXT
);
CREATE INDEX IF NOT EXISTS asset_log_asset ON asset_log(asset_id, date);
CREATE TABLE IF NOT EXISTS asset_file (
    asset_id TEXT NOT NULL REFERENCES asset(asset_id) ON DELETE CASCADE,
    filename TEXT NOT NULL COLLATE NOCASE,
    data BLOB NOT NULL,
    uploaded TEXT NOT NULL,
    PRIMARY KEY (asset_id, filename)
);
"""
