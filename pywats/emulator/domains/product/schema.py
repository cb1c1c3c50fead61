"""Tables of the product domain. Part numbers and revisions compare without regard to case,
as on a WATS server (SQL Server's default collation)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS product_category (
    category_id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE IF NOT EXISTS product (
    product_id TEXT PRIMARY KEY,
    part_number TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT,
    description TEXT,
    non_serial INTEGER NOT NULL DEFAULT 0,
    state INTEGER NOT NULL DEFAULT 1,
    xml_data TEXT,
    category_id TEXT REFERENCES product_category(category_id)
);
CREATE TABLE IF NOT EXISTS product_revision (
    revision_id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES product(product_id) ON DELETE CASCADE,
    revision TEXT NOT NULL COLLATE NOCASE,
    name TEXT,
    description TEXT,
    state INTEGER NOT NULL DEFAULT 1,
    xml_data TEXT,  -- may hold the revision's WSBF BOM inside <Root>
    UNIQUE (product_id, revision)
);
CREATE TABLE IF NOT EXISTS product_vendor (
    name TEXT PRIMARY KEY COLLATE NOCASE
);
-- Explicit members of an app-domain product_group, on top of the group's own OData filter.
CREATE TABLE IF NOT EXISTS product_group_member (
    member_id INTEGER PRIMARY KEY,
    product_group_id INTEGER NOT NULL REFERENCES product_group(product_group_id),
    part_number TEXT NOT NULL COLLATE NOCASE,
    revision TEXT COLLATE NOCASE,
    exclude INTEGER NOT NULL DEFAULT 0
);
"""
