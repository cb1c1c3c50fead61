"""Tables of the production domain. Names start with `production_` so no domain collides."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS production_phase (
    phase_id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS production_batch (
    batch_number TEXT PRIMARY KEY COLLATE NOCASE,
    batch_size INTEGER
);
CREATE TABLE IF NOT EXISTS production_unit (
    unit_id INTEGER PRIMARY KEY,
    serial_number TEXT NOT NULL COLLATE NOCASE,
    part_number TEXT NOT NULL COLLATE NOCASE,
    revision TEXT NOT NULL,
    parent_id INTEGER REFERENCES production_unit(unit_id),
    batch_number TEXT REFERENCES production_batch(batch_number),
    serial_date TEXT NOT NULL,
    current_location TEXT,
    xml_data TEXT,
    unit_phase_id INTEGER NOT NULL REFERENCES production_phase(phase_id),
    process_code TEXT,
    UNIQUE (serial_number, part_number)
);
CREATE INDEX IF NOT EXISTS production_unit_parent ON production_unit(parent_id);
CREATE INDEX IF NOT EXISTS production_unit_serial ON production_unit(serial_number);
CREATE TABLE IF NOT EXISTS production_unit_change (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_serial_number TEXT NOT NULL,
    new_parent_serial_number TEXT,
    new_part_number TEXT,
    new_revision TEXT,
    new_unit_phase_id INTEGER
);
-- One row per test run of a unit in a process: what the verification grade is computed from.
CREATE TABLE IF NOT EXISTS production_test_run (
    run_id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES production_unit(unit_id) ON DELETE CASCADE,
    process_code INTEGER NOT NULL,
    start_utc TEXT NOT NULL,
    station_name TEXT NOT NULL,
    passed INTEGER NOT NULL,
    repaired INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS production_test_run_unit ON production_test_run(unit_id);
CREATE TABLE IF NOT EXISTS production_sn_type (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    description TEXT NOT NULL,
    format TEXT NOT NULL,
    reg_ex TEXT NOT NULL,
    identifier INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS production_sn (
    sn_id INTEGER PRIMARY KEY,
    type_name TEXT NOT NULL REFERENCES production_sn_type(name),
    serial_number TEXT NOT NULL,
    generated_utc TEXT NOT NULL,
    taken_utc TEXT,
    ref_sn TEXT,
    ref_pn TEXT,
    station_name TEXT,
    UNIQUE (type_name, serial_number)
);
"""
