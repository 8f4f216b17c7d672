-- Surveys: questionnaires that L&D sends to people (learning needs analysis first; reaction
-- surveys and 360 feedback later), the invitations that count progress, and the responses.
-- Survey and question kinds are checked in Go, not here, so that a new kind needs no table rebuild.

CREATE TABLE surveys (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    anonymous   BOOLEAN NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    deadline    TIMESTAMP NOT NULL,
    created_by  TEXT REFERENCES people (id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    opened_at   TIMESTAMP,
    closed_at   TIMESTAMP
);
CREATE INDEX surveys_created_idx ON surveys (created_at, id);

CREATE TABLE survey_questions (
    id          TEXT PRIMARY KEY,
    survey_id   TEXT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    prompt      TEXT NOT NULL,
    help        TEXT NOT NULL DEFAULT '',
    required    BOOLEAN NOT NULL,
    scale_max   INTEGER NOT NULL DEFAULT 0,
    low_label   TEXT NOT NULL DEFAULT '',
    high_label  TEXT NOT NULL DEFAULT '',
    max_choices INTEGER NOT NULL DEFAULT 0,
    max_length  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (survey_id, position)
);

CREATE TABLE survey_options (
    id          TEXT PRIMARY KEY,
    question_id TEXT NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL,
    UNIQUE (question_id, position)
);

-- One row per person a survey was sent to. org_unit_id is the person's unit when invited, moved
-- to their unit when they answer, so that response rates and results group people alike.
CREATE TABLE survey_invitations (
    survey_id   TEXT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL REFERENCES people (id),
    org_unit_id TEXT,
    invited_at  TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    PRIMARY KEY (survey_id, person_id)
);
CREATE INDEX survey_invitations_person_idx ON survey_invitations (person_id);

-- A response of an anonymous survey has no person, no time and a random id, and the table keeps
-- no insertion order (WITHOUT ROWID: rows sit in id order), so nothing in it leads back to the
-- invitation answered in the same transaction. org_unit_id has no foreign key: a deleted unit
-- must not take answers with it.
CREATE TABLE survey_responses (
    id           TEXT PRIMARY KEY,
    survey_id    TEXT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    person_id    TEXT REFERENCES people (id),
    org_unit_id  TEXT,
    submitted_at TIMESTAMP,
    CHECK ((person_id IS NULL) = (submitted_at IS NULL))
) WITHOUT ROWID;
CREATE INDEX survey_responses_survey_idx ON survey_responses (survey_id, org_unit_id);
CREATE UNIQUE INDEX survey_responses_person_key ON survey_responses (survey_id, person_id);

-- One row per answered question, and per chosen option or skill: item is the option or skill id
-- ('' for scales and texts), number the scale value, text the free text.
CREATE TABLE survey_answers (
    response_id TEXT NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES survey_questions (id),
    item        TEXT NOT NULL DEFAULT '',
    number      INTEGER,
    text        TEXT,
    PRIMARY KEY (response_id, question_id, item)
) WITHOUT ROWID;
CREATE INDEX survey_answers_question_idx ON survey_answers (question_id, item);
