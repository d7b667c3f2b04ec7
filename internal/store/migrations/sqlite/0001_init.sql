-- airlock store schema, SQLite dialect. Keep in step with
-- ../postgres/0001_init.sql: the two differ only in column types and in
-- inventory's index by package.
-- Times are UTC unix nanoseconds; booleans are 0/1.

CREATE TABLE advisories (
    id        TEXT PRIMARY KEY,
    modified  INTEGER NOT NULL,
    withdrawn BOOLEAN NOT NULL,
    malicious BOOLEAN NOT NULL,
    source    TEXT NOT NULL,   -- the import that last stored it
    doc       BLOB NOT NULL    -- the OSV JSON document as imported
);
CREATE INDEX advisories_source ON advisories (source, modified);

CREATE TABLE advisory_aliases (
    alias       TEXT NOT NULL,
    advisory_id TEXT NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
    PRIMARY KEY (alias, advisory_id)
);
CREATE INDEX advisory_aliases_advisory ON advisory_aliases (advisory_id);

CREATE TABLE advisory_packages (
    ecosystem   TEXT NOT NULL,
    name        TEXT NOT NULL,
    advisory_id TEXT NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
    PRIMARY KEY (ecosystem, name, advisory_id)
);
CREATE INDEX advisory_packages_advisory ON advisory_packages (advisory_id);

CREATE TABLE sources (
    source        TEXT PRIMARY KEY,
    updated_at    INTEGER NOT NULL,
    records       INTEGER NOT NULL,
    changed       INTEGER NOT NULL,
    newest        INTEGER NOT NULL,
    etag          TEXT NOT NULL,
    last_modified TEXT NOT NULL
);

CREATE TABLE environments (
    id         INTEGER PRIMARY KEY,
    host       TEXT NOT NULL,
    path       TEXT NOT NULL,
    project    TEXT NOT NULL,
    git_commit TEXT NOT NULL,
    kind       TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    UNIQUE (host, path)
);

-- Each distinct (ecosystem, name, version) once; inventory rows point here.
CREATE TABLE package_versions (
    id        INTEGER PRIMARY KEY,
    ecosystem TEXT NOT NULL,
    name      TEXT NOT NULL,
    version   TEXT NOT NULL,
    UNIQUE (ecosystem, name, version)
);

-- One row per package version an environment has or had. last_seen is the
-- last observation that had it once present is false; while present, the
-- environment's last_seen applies (so re-recording an unchanged environment
-- writes no inventory row). Only Record writes this table, with env_id and
-- package_id of rows it has just upserted; the columns carry no foreign
-- keys because on PostgreSQL their per-row triggers cost about a third of
-- a Record.
CREATE TABLE inventory (
    env_id     INTEGER NOT NULL,
    package_id INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    present    BOOLEAN NOT NULL,
    PRIMARY KEY (env_id, package_id)
) WITHOUT ROWID;
-- Not covering, unlike PostgreSQL's: here the extra columns cost about a
-- third of Record's throughput (every new row dirties a random page of this
-- index) to save Where a third of its time.
CREATE INDEX inventory_package ON inventory (package_id, env_id);

CREATE TABLE impact_reported (
    advisory_id TEXT NOT NULL,
    ecosystem   TEXT NOT NULL,
    name        TEXT NOT NULL,
    version     TEXT NOT NULL,
    reported_at INTEGER NOT NULL,
    PRIMARY KEY (advisory_id, ecosystem, name, version)
);
