"""Tables of the software domain. Package names compare without regard to case, as on a WATS
server (SQL Server's default collation); a name and a version identify one package."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS software_virtual_folder (
    folder_id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES software_virtual_folder(folder_id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS software_package (
    package_id TEXT PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,  -- Draft, Pending, Released or Revoked
    description TEXT NOT NULL DEFAULT '',
    install_on_root INTEGER NOT NULL DEFAULT 0,
    root_directory TEXT NOT NULL DEFAULT '',
    priority INTEGER NOT NULL DEFAULT 0,
    virtual_folder_id TEXT REFERENCES software_virtual_folder(folder_id),
    created TEXT NOT NULL,
    created_by TEXT NOT NULL,
    modified TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    released TEXT,
    released_by TEXT,
    revoked TEXT,
    revoked_by TEXT,
    UNIQUE (name, version)
);
CREATE TABLE IF NOT EXISTS software_package_tag (
    package_id TEXT NOT NULL REFERENCES software_package(package_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (package_id, position)
);
-- Files of a package, each in a folder ('/'-separated, never the root). Paths compare
-- without regard to case, as on the Windows stations that install them.
CREATE TABLE IF NOT EXISTS software_file (
    file_id TEXT PRIMARY KEY,
    package_id TEXT NOT NULL REFERENCES software_package(package_id) ON DELETE CASCADE,
    folder TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL COLLATE NOCASE,
    size INTEGER NOT NULL,
    checksum TEXT NOT NULL,
    attributes INTEGER NOT NULL DEFAULT 0,  -- the FileAttribute bitmask
    description TEXT NOT NULL DEFAULT '',
    modified TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    UNIQUE (package_id, folder, name)
);
CREATE INDEX IF NOT EXISTS software_file_package ON software_file (package_id);
"""
