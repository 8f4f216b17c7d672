-- Skills: the framework (categories, skills, the proficiency scale), what roles and units require,
-- ratings from every source (never overwritten) and each person's current level derived from them.

CREATE TABLE proficiency_levels (
    level       INTEGER PRIMARY KEY CHECK (level >= 0 AND level <= 10),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
INSERT INTO proficiency_levels (level, name, description) VALUES
    (0, 'None', 'No knowledge or experience.'),
    (1, 'Awareness', 'Knows what it is and why it matters; cannot do it yet.'),
    (2, 'Basic', 'Does simple tasks with help and guidance.'),
    (3, 'Independent', 'Does the usual work alone, to the expected standard.'),
    (4, 'Advanced', 'Handles difficult and unusual cases; others ask for advice.'),
    (5, 'Expert', 'Recognized authority who teaches others and improves how it is done.');

CREATE TABLE skill_categories (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    parent_id  TEXT REFERENCES skill_categories (id),
    path       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX skill_categories_name_key ON skill_categories (COALESCE(parent_id, ''), lower(name));
CREATE INDEX skill_categories_path_idx ON skill_categories (path);

CREATE TABLE skills (
    id          TEXT PRIMARY KEY,
    category_id TEXT REFERENCES skill_categories (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL CHECK (type IN ('technical', 'interpersonal', 'leadership', 'compliance', 'business', 'language', 'tool')),
    aliases     TEXT NOT NULL DEFAULT '',
    retired_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX skills_name_key ON skills (lower(name));
CREATE INDEX skills_category_idx ON skills (category_id);

-- Descriptors of a level for one skill, where the organization's general ones are not enough.
CREATE TABLE skill_level_descriptors (
    skill_id    TEXT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    level       INTEGER NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (skill_id, level)
);

CREATE TABLE role_requirements (
    job_role_id TEXT NOT NULL REFERENCES job_roles (id) ON DELETE CASCADE,
    skill_id    TEXT NOT NULL REFERENCES skills (id),
    level       INTEGER NOT NULL,
    criticality TEXT NOT NULL CHECK (criticality IN ('critical', 'important', 'useful')),
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job_role_id, skill_id)
);
CREATE INDEX role_requirements_skill_idx ON role_requirements (skill_id);

-- "This team needs at least N people at level L in skill S."
CREATE TABLE coverage_targets (
    org_unit_id TEXT NOT NULL REFERENCES org_units (id) ON DELETE CASCADE,
    skill_id    TEXT NOT NULL REFERENCES skills (id),
    level       INTEGER NOT NULL,
    min_people  INTEGER NOT NULL CHECK (min_people >= 1),
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_unit_id, skill_id)
);

-- Every rating ever given; a new one never replaces an old one.
CREATE TABLE skill_ratings (
    id              TEXT PRIMARY KEY,
    person_id       TEXT NOT NULL REFERENCES people (id),
    skill_id        TEXT NOT NULL REFERENCES skills (id),
    level           INTEGER NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('self', 'manager', 'peer', 'test', 'certification', 'activity')),
    rater_person_id TEXT REFERENCES people (id),
    rated_at        TIMESTAMPTZ NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    evidence_url    TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX skill_ratings_person_skill_idx ON skill_ratings (person_id, skill_id, rated_at);
CREATE INDEX skill_ratings_rater_idx ON skill_ratings (rater_person_id);

-- Each person's current level in each skill they have evidence for, derived from the ratings by
-- the rule in internal/skills/level.go and kept up to date as ratings arrive.
CREATE TABLE skill_levels (
    person_id        TEXT NOT NULL REFERENCES people (id),
    skill_id         TEXT NOT NULL REFERENCES skills (id),
    level            DOUBLE PRECISION NOT NULL,
    confidence       DOUBLE PRECISION NOT NULL,
    self_level       INTEGER,
    manager_level    INTEGER,
    ratings          INTEGER NOT NULL,
    last_evidence_at TIMESTAMPTZ NOT NULL,
    computed_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, skill_id)
);
CREATE INDEX skill_levels_skill_idx ON skill_levels (skill_id, level);
