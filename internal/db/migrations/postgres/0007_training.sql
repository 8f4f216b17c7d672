-- Training: the catalog of learning items with their objectives, skills and content; levelled
-- paths; scheduled sessions with registrations and attendance; enrollments and assignments with
-- the rules that make them; question banks, quizzes and attempts; certificates; in-app
-- notifications. Kinds and statuses are checked in Go, not here, so that a new kind needs no
-- table rebuild. Money is in minor units of the item's currency (cents).

CREATE TABLE learning_items (
    id               TEXT PRIMARY KEY,
    code             TEXT,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL,
    modality         TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL DEFAULT 0,
    language         TEXT NOT NULL DEFAULT 'en',
    provider         TEXT NOT NULL DEFAULT '',
    cost_per_learner BIGINT NOT NULL DEFAULT 0,
    fixed_cost       BIGINT NOT NULL DEFAULT 0,
    currency         TEXT NOT NULL DEFAULT 'EUR',
    external_url     TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    enrollment       TEXT NOT NULL,
    certifying       BOOLEAN NOT NULL DEFAULT FALSE,
    compliance       BOOLEAN NOT NULL DEFAULT FALSE,
    validity_months  INTEGER NOT NULL DEFAULT 0,
    renew_days       INTEGER NOT NULL DEFAULT 30,
    tags             TEXT NOT NULL DEFAULT '',
    search_text      TEXT NOT NULL DEFAULT '',
    created_by       TEXT REFERENCES people (id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX learning_items_code_key ON learning_items (lower(code));
CREATE INDEX learning_items_title_idx ON learning_items (status, lower(title), id);

CREATE TABLE item_tags (
    item_id TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (item_id, tag)
);
CREATE INDEX item_tags_tag_idx ON item_tags (tag);

-- The skills an item develops, with the level it brings a learner to.
CREATE TABLE item_skills (
    item_id      TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
    skill_id     TEXT NOT NULL REFERENCES skills (id),
    target_level INTEGER NOT NULL,
    PRIMARY KEY (item_id, skill_id)
);
CREATE INDEX item_skills_skill_idx ON item_skills (skill_id);

-- What a learner will be able to do afterwards, classified on Bloom's revised taxonomy; the level
-- is the classifier's suggestion unless bloom_override says the author chose it.
CREATE TABLE objectives (
    id             TEXT PRIMARY KEY,
    item_id        TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    text           TEXT NOT NULL,
    bloom_level    TEXT NOT NULL DEFAULT '',
    bloom_override BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (item_id, position)
);

-- Uploaded files (by content hash in the blob directory) and external links.
CREATE TABLE item_content (
    id           TEXT PRIMARY KEY,
    item_id      TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('file', 'link')),
    url          TEXT NOT NULL DEFAULT '',
    blob_key     TEXT NOT NULL DEFAULT '',
    filename     TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size         INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX item_content_item_idx ON item_content (item_id, position);

-- A path is a learning item of kind 'path' whose steps are other items, grouped in levels: a
-- level opens when the one before it is complete by its rule (all steps, or N of them, each
-- with at least min_score when the step has a test).
CREATE TABLE path_levels (
    path_id   TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
    level     INTEGER NOT NULL,
    name      TEXT NOT NULL DEFAULT '',
    required  INTEGER NOT NULL DEFAULT 0,
    min_score INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (path_id, level)
);

CREATE TABLE path_steps (
    path_id  TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
    item_id  TEXT NOT NULL REFERENCES learning_items (id),
    level    INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (path_id, item_id)
);
CREATE INDEX path_steps_item_idx ON path_steps (item_id);

-- Scheduled instances of instructor-led items. sequence grows with every change a calendar must
-- see (RFC 5545 SEQUENCE).
CREATE TABLE training_sessions (
    id                    TEXT PRIMARY KEY,
    item_id               TEXT NOT NULL REFERENCES learning_items (id),
    starts_at             TIMESTAMPTZ NOT NULL,
    ends_at               TIMESTAMPTZ NOT NULL,
    time_zone             TEXT NOT NULL,
    location              TEXT NOT NULL DEFAULT '',
    online_url            TEXT NOT NULL DEFAULT '',
    instructor_id         TEXT REFERENCES people (id),
    capacity              INTEGER NOT NULL,
    registration_deadline TIMESTAMPTZ,
    status                TEXT NOT NULL,
    cancel_reason         TEXT NOT NULL DEFAULT '',
    sequence              INTEGER NOT NULL DEFAULT 0,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX training_sessions_item_idx ON training_sessions (item_id, starts_at);
CREATE INDEX training_sessions_start_idx ON training_sessions (starts_at);
CREATE INDEX training_sessions_instructor_idx ON training_sessions (instructor_id, starts_at);

-- status: registered or waitlisted (or cancelled); attendance is marked after the session.
-- Waitlisted people are promoted in the order they registered (registered_at, id).
CREATE TABLE session_registrations (
    id            TEXT PRIMARY KEY,
    session_id    TEXT NOT NULL REFERENCES training_sessions (id),
    person_id     TEXT NOT NULL REFERENCES people (id),
    enrollment_id TEXT,
    status        TEXT NOT NULL,
    attendance    TEXT NOT NULL DEFAULT '',
    registered_at TIMESTAMPTZ NOT NULL,
    promoted_at   TIMESTAMPTZ,
    cancelled_at  TIMESTAMPTZ,
    marked_at     TIMESTAMPTZ,
    marked_by     TEXT,
    sequence      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (session_id, person_id)
);
CREATE INDEX session_registrations_session_idx ON session_registrations (session_id, status, registered_at);
CREATE INDEX session_registrations_person_idx ON session_registrations (person_id);

-- Who takes which item, one row per person, item and cycle (a recurring compliance item gets a
-- new cycle when its completion nears expiry). source: self, manager, rule, admin. At most one
-- open enrollment per person and item.
CREATE TABLE enrollments (
    id               TEXT PRIMARY KEY,
    item_id          TEXT NOT NULL REFERENCES learning_items (id),
    person_id        TEXT NOT NULL REFERENCES people (id),
    status           TEXT NOT NULL,
    source           TEXT NOT NULL,
    rule_id          TEXT,
    assigned_by      TEXT REFERENCES people (id),
    due_on           DATE,
    enrolled_at      TIMESTAMPTZ NOT NULL,
    started_at       TIMESTAMPTZ,
    completed_at     TIMESTAMPTZ,
    score            DOUBLE PRECISION,
    expires_on       DATE,
    decided_by       TEXT REFERENCES people (id),
    decided_at       TIMESTAMPTZ,
    reason           TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX enrollments_open_key ON enrollments (person_id, item_id) WHERE status IN ('requested', 'enrolled', 'in_progress');
CREATE INDEX enrollments_person_idx ON enrollments (person_id, item_id, status);
CREATE INDEX enrollments_item_idx ON enrollments (item_id, status);
CREATE INDEX enrollments_rule_idx ON enrollments (rule_id) WHERE rule_id IS NOT NULL;

-- Where each person stands with each item they have ever been enrolled in, kept in the
-- transaction of every enrollment change: the latest completion, its expiry and the day its
-- renewal opens, the open enrollment and its due date, an exemption, and whether the item is
-- required of the person (assigned by a manager, L&D or a rule). Compliance and "My learning"
-- read this, not the history.
CREATE TABLE training_status (
    person_id        TEXT NOT NULL REFERENCES people (id),
    item_id          TEXT NOT NULL REFERENCES learning_items (id),
    open_id          TEXT,
    open_status      TEXT NOT NULL DEFAULT '',
    due_on           DATE,
    required         BOOLEAN NOT NULL DEFAULT FALSE,
    completed_at     TIMESTAMPTZ,
    completed_id     TEXT,
    score            DOUBLE PRECISION,
    valid_until      DATE,
    renew_on         DATE,
    exempt           BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (person_id, item_id)
);
CREATE INDEX training_status_item_idx ON training_status (item_id, person_id);

-- The compliance dashboard's counts for those who see everyone: people per org unit (counting
-- everyone at or below it), item and status, and what each counted person and item contributed
-- with the path of their unit then, so that a change, or a move in the org tree, takes them off
-- the counts of the units they were under and adds them to those they are under now. Kept in the
-- transaction of every change of training_status, for people who moved when the rules' refresh
-- reads their change notes, and recounted whole when the day changes (statuses move with the
-- date; the day counted is the setting compliance_counted_on). org_unit_id and unit_path are ''
-- for people in no unit.
CREATE TABLE compliance_counts (
    org_unit_id TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    status      TEXT NOT NULL,
    people      INTEGER NOT NULL,
    PRIMARY KEY (org_unit_id, item_id, status)
);
CREATE TABLE compliance_counted (
    person_id TEXT NOT NULL,
    item_id   TEXT NOT NULL,
    unit_path TEXT COLLATE "C" NOT NULL,
    status    TEXT NOT NULL,
    PRIMARY KEY (person_id, item_id)
);
CREATE INDEX compliance_counted_status_idx ON compliance_counted (status, item_id, unit_path);
CREATE INDEX compliance_counted_unit_idx ON compliance_counted (unit_path, item_id);

-- "Everyone in role X / org unit Y / hired in the last N days must complete item Z within D days."
-- Empty conditions do not filter; a rule with none applies to everyone.
CREATE TABLE assignment_rules (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    item_id           TEXT NOT NULL REFERENCES learning_items (id),
    job_role_id       TEXT REFERENCES job_roles (id),
    org_unit_id       TEXT REFERENCES org_units (id),
    location          TEXT NOT NULL DEFAULT '',
    hired_within_days INTEGER NOT NULL DEFAULT 0,
    due_days          INTEGER NOT NULL,
    active            BOOLEAN NOT NULL,
    created_by        TEXT REFERENCES people (id),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    evaluated_at      TIMESTAMPTZ
);
CREATE INDEX assignment_rules_item_idx ON assignment_rules (item_id);

-- People whose unit, role, location, hire date or status changed since the rules last looked,
-- appended by the triggers below whoever writes; the rules' refresh consumes them.
CREATE TABLE training_people_changes (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT NOT NULL
);
CREATE FUNCTION training_people_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO training_people_changes (person_id) SELECT id FROM new_rows;
    RETURN NULL;
END $$;
CREATE FUNCTION training_people_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO training_people_changes (person_id)
        SELECT n.id FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
        WHERE o.id IS NULL OR (n.org_unit_id, n.job_role_id, n.location, n.hire_date, n.status)
            IS DISTINCT FROM (o.org_unit_id, o.job_role_id, o.location, o.hire_date, o.status);
    RETURN NULL;
END $$;
CREATE TRIGGER people_training_insert AFTER INSERT ON people REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION training_people_inserted();
CREATE TRIGGER people_training_update AFTER UPDATE ON people REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION training_people_updated();
-- An org unit moved in the tree changes who is below a rule's unit.
CREATE FUNCTION training_units_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO training_people_changes (person_id)
        SELECT p.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN people p ON p.org_unit_id = n.id
        WHERE o.path IS DISTINCT FROM n.path AND p.status = 'active';
    RETURN NULL;
END $$;
CREATE TRIGGER org_units_training_update AFTER UPDATE ON org_units REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION training_units_updated();

-- Question banks: each item has one; pools group questions a quiz draws from. For choice and
-- ordering questions the options hold the answer (correct, or position for ordering); short
-- answers list accepted answers one per line.
CREATE TABLE questions (
    id           TEXT PRIMARY KEY,
    item_id      TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
    objective_id TEXT REFERENCES objectives (id) ON DELETE SET NULL,
    position     INTEGER NOT NULL,
    pool         TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    prompt       TEXT NOT NULL,
    explanation  TEXT NOT NULL DEFAULT '',
    accepted     TEXT NOT NULL DEFAULT '',
    points       INTEGER NOT NULL DEFAULT 1,
    retired      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX questions_item_idx ON questions (item_id, position);

CREATE TABLE question_options (
    id          TEXT PRIMARY KEY,
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    correct     BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (question_id, position)
);

-- A quiz of an item: its test (kind 'test', which completes the item when passed) or a pre-test
-- on the same objectives, for learning gain. It draws from the item's bank: per pool, draw
-- questions ('' pool and 0 draw mean every question).
CREATE TABLE quizzes (
    id                 TEXT PRIMARY KEY,
    item_id            TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
    kind               TEXT NOT NULL,
    title              TEXT NOT NULL,
    pass_mark          INTEGER NOT NULL,
    max_attempts       INTEGER NOT NULL DEFAULT 0,
    time_limit_minutes INTEGER NOT NULL DEFAULT 0,
    shuffle_questions  BOOLEAN NOT NULL DEFAULT TRUE,
    shuffle_options    BOOLEAN NOT NULL DEFAULT TRUE,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (item_id, kind)
);

CREATE TABLE quiz_draws (
    quiz_id TEXT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    pool    TEXT NOT NULL,
    draw    INTEGER NOT NULL,
    PRIMARY KEY (quiz_id, pool)
);

-- An attempt keeps the questions it drew, in the order shown, with each question's option order
-- (layout, JSON), so that what is scored is exactly what was shown.
CREATE TABLE quiz_attempts (
    id            TEXT PRIMARY KEY,
    quiz_id       TEXT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    person_id     TEXT NOT NULL REFERENCES people (id),
    enrollment_id TEXT REFERENCES enrollments (id),
    number        INTEGER NOT NULL,
    layout        TEXT NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    deadline_at   TIMESTAMPTZ,
    submitted_at  TIMESTAMPTZ,
    score         DOUBLE PRECISION,
    passed        BOOLEAN,
    UNIQUE (quiz_id, person_id, number)
);
CREATE INDEX quiz_attempts_person_idx ON quiz_attempts (person_id, quiz_id);

CREATE TABLE quiz_answers (
    attempt_id  TEXT NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES questions (id),
    response    TEXT NOT NULL,
    earned      DOUBLE PRECISION NOT NULL,
    possible    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);

-- Certificates keep what they certified as it was, so that a renamed item or person does not
-- change a certificate already issued; code is the secret part of the verification address.
CREATE TABLE certificates (
    id            TEXT PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    number        TEXT NOT NULL UNIQUE,
    person_id     TEXT NOT NULL REFERENCES people (id),
    item_id       TEXT NOT NULL REFERENCES learning_items (id),
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
    person_name   TEXT NOT NULL,
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    issued_on     DATE NOT NULL,
    expires_on    DATE,
    score         DOUBLE PRECISION,
    revoked_at    TIMESTAMPTZ,
    revoked_by    TEXT REFERENCES people (id),
    revoke_reason TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX certificates_person_idx ON certificates (person_id, issued_on);
CREATE INDEX certificates_enrollment_idx ON certificates (enrollment_id);

-- A person's calendar feed is reached by a secret address (calendar apps send no cookies); the
-- secret is stored as its SHA-256 hash.
CREATE TABLE calendar_feeds (
    person_id  TEXT PRIMARY KEY REFERENCES people (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

-- In-app messages to a person: a manager's nudge, a promotion from a waitlist, an approval.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people (id),
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    sender_id  TEXT REFERENCES people (id),
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_person_idx ON notifications (person_id, created_at);

-- A rating may count for less than a full one of its source: a test passed with 80% counts 0.8
-- of a test, a completion without a test is activity evidence at half weight.
ALTER TABLE skill_ratings ADD COLUMN weight DOUBLE PRECISION NOT NULL DEFAULT 1;
