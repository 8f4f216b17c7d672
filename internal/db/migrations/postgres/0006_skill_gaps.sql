-- Org-wide skill gaps: counts per (org unit, job role, location) cell and skill, kept up to date
-- by skills.Service.RefreshGapStats from what changed since it last ran, and dated totals for
-- trends. The ranking reads only these counts; see internal/skills/gaps.go. Identifiers keep the
-- database's collation, as in the tables they come from: a comparison of two columns of different
-- collations cannot use an index (a level lookup by person and skill became a scan of every
-- level). Locations, which rank ties are ordered by, sort by bytes as on SQLite.

-- What changed since the last refresh, appended by the triggers below whoever writes: a
-- person's current level in a skill (with the level before, NULL for none), or a person's unit,
-- role, location or status (skill_id NULL). The refresh consumes the rows it has counted.
-- Statement triggers with transition tables log a bulk write with one insert.
CREATE TABLE skill_gap_changes (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT NOT NULL,
    skill_id  TEXT,
    old_level DOUBLE PRECISION
);
CREATE FUNCTION skill_gap_levels_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO skill_gap_changes (person_id, skill_id, old_level) SELECT person_id, skill_id, NULL FROM new_rows;
    RETURN NULL;
END $$;
CREATE FUNCTION skill_gap_levels_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO skill_gap_changes (person_id, skill_id, old_level)
    SELECT o.person_id, o.skill_id, o.level FROM old_rows o
        LEFT JOIN new_rows n ON n.person_id = o.person_id AND n.skill_id = o.skill_id
        WHERE n.person_id IS NULL OR n.level IS DISTINCT FROM o.level
    UNION ALL
    SELECT n.person_id, n.skill_id, NULL FROM new_rows n
        LEFT JOIN old_rows o ON o.person_id = n.person_id AND o.skill_id = n.skill_id
        WHERE o.person_id IS NULL;
    RETURN NULL;
END $$;
CREATE FUNCTION skill_gap_levels_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO skill_gap_changes (person_id, skill_id, old_level) SELECT person_id, skill_id, level FROM old_rows;
    RETURN NULL;
END $$;
CREATE TRIGGER skill_levels_gap_insert AFTER INSERT ON skill_levels REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION skill_gap_levels_inserted();
CREATE TRIGGER skill_levels_gap_update AFTER UPDATE ON skill_levels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION skill_gap_levels_updated();
CREATE TRIGGER skill_levels_gap_delete AFTER DELETE ON skill_levels REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION skill_gap_levels_deleted();

CREATE FUNCTION skill_gap_people_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO skill_gap_changes (person_id) SELECT id FROM new_rows;
    RETURN NULL;
END $$;
CREATE FUNCTION skill_gap_people_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO skill_gap_changes (person_id)
    SELECT n.id FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
        WHERE o.id IS NULL OR (n.org_unit_id, n.job_role_id, n.location, n.status) IS DISTINCT FROM (o.org_unit_id, o.job_role_id, o.location, o.status)
    UNION ALL
    SELECT o.id FROM old_rows o LEFT JOIN new_rows n ON n.id = o.id WHERE n.id IS NULL;
    RETURN NULL;
END $$;
CREATE FUNCTION skill_gap_people_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO skill_gap_changes (person_id) SELECT id FROM old_rows;
    RETURN NULL;
END $$;
CREATE TRIGGER people_gap_insert AFTER INSERT ON people REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION skill_gap_people_inserted();
CREATE TRIGGER people_gap_update AFTER UPDATE ON people REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION skill_gap_people_updated();
CREATE TRIGGER people_gap_delete AFTER DELETE ON people REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION skill_gap_people_deleted();

-- What the counts were made from, so that the refresh can tell what changed: the division of
-- each org unit ('' outside any division), the requirements (criticality as its rank: 3
-- critical, 2 important, 1 useful), the cells (org unit '' for none), and the cell each counted
-- person (active, with a job role) is in.
CREATE TABLE skill_gap_units (
    org_unit_id TEXT PRIMARY KEY,
    division_id TEXT NOT NULL
);

CREATE TABLE skill_gap_requirements (
    job_role_id TEXT NOT NULL,
    skill_id    TEXT NOT NULL,
    level       INTEGER NOT NULL,
    criticality INTEGER NOT NULL,
    PRIMARY KEY (job_role_id, skill_id)
);

CREATE TABLE skill_gap_cells (
    id          INTEGER PRIMARY KEY,
    org_unit_id TEXT NOT NULL,
    job_role_id TEXT NOT NULL,
    location    TEXT COLLATE "C" NOT NULL,
    division_id TEXT NOT NULL
);
CREATE UNIQUE INDEX skill_gap_cells_key ON skill_gap_cells (org_unit_id, job_role_id, location);
CREATE INDEX skill_gap_cells_role_idx ON skill_gap_cells (job_role_id);

CREATE TABLE skill_gap_people (
    person_id TEXT PRIMARY KEY,
    cell_id   INTEGER NOT NULL
);
CREATE INDEX skill_gap_people_cell_idx ON skill_gap_people (cell_id);

-- The counts: of the people in a cell, how many their role requires the skill of (required),
-- how many fall short (short), and by how many levels in all, in tenths (gap_tenths).
CREATE TABLE skill_gap_stats (
    cell_id     INTEGER NOT NULL,
    skill_id    TEXT NOT NULL,
    criticality INTEGER NOT NULL,
    required    INTEGER NOT NULL,
    short       INTEGER NOT NULL,
    gap_tenths  INTEGER NOT NULL,
    PRIMARY KEY (cell_id, skill_id)
);

-- The same counts summed per division, location, job role and the whole organization
-- (group_id '' for no division, no location, and the organization), with each criticality in
-- its own columns (gaps in tenths): the ranking without a unit filter reads one row per group
-- and skill.
CREATE TABLE skill_gap_totals (
    grouping           TEXT NOT NULL CHECK (grouping IN ('division', 'location', 'role', 'organization')),
    group_id           TEXT COLLATE "C" NOT NULL,
    skill_id           TEXT NOT NULL,
    critical_required  INTEGER NOT NULL,
    critical_short     INTEGER NOT NULL,
    critical_gap       INTEGER NOT NULL,
    important_required INTEGER NOT NULL,
    important_short    INTEGER NOT NULL,
    important_gap      INTEGER NOT NULL,
    useful_required    INTEGER NOT NULL,
    useful_short       INTEGER NOT NULL,
    useful_gap         INTEGER NOT NULL,
    PRIMARY KEY (grouping, group_id, skill_id)
);

-- The cells, or single skills of them (skill_id <> ''), one refresh recounts; empty between
-- refreshes.
CREATE TABLE skill_gap_work (
    cell_id  INTEGER NOT NULL,
    skill_id TEXT NOT NULL,
    PRIMARY KEY (cell_id, skill_id)
);

-- When the counts were last brought up to date, and the last day a history snapshot was taken.
CREATE TABLE skill_gap_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    refreshed_at TIMESTAMPTZ,
    history_day  DATE
);
INSERT INTO skill_gap_state (id) VALUES (1);

-- One snapshot a day of the totals per skill (skill_id '' for all skills together), for the
-- whole organization (scope 'organization', division_id '') and per division ('' for people
-- outside any division). priority is Σ criticality weight × gap, in levels.
CREATE TABLE skill_gap_history (
    scope       TEXT NOT NULL CHECK (scope IN ('organization', 'division')),
    division_id TEXT NOT NULL,
    skill_id    TEXT NOT NULL,
    day         DATE NOT NULL,
    required    INTEGER NOT NULL,
    short       INTEGER NOT NULL,
    gap_tenths  INTEGER NOT NULL,
    priority    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (scope, division_id, skill_id, day)
);
