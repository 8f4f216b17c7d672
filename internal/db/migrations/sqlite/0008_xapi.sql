-- The xAPI Learning Record Store: the clients that may talk to it, its statements with the keys
-- queries filter on, the extra agents and activities related_agents / related_activities match,
-- attachments, and the State, Activity Profile and Agent Profile documents.

-- An LRS client authenticates with HTTP Basic (key, secret). Only a hash of the secret is kept;
-- the secret is random and long, so a fast hash is enough. Scopes are the xAPI ones, space
-- separated ("statements/write statements/read/mine state").
CREATE TABLE xapi_clients (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    key          TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_by   TEXT REFERENCES accounts (id),
    created_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    statements   INTEGER NOT NULL DEFAULT 0
);

-- One row per statement, in the order stored (seq), which is also the order of stored times:
-- statements are written one transaction at a time. body is the statement as stored, with the
-- id, stored, authority, version and timestamp the LRS set. actor is an agent key (see
-- internal/lrs/xapi.AgentKey); object is an activity id, an agent key or a statement id, as
-- object_type says.
CREATE TABLE xapi_statements (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    stored       TIMESTAMP NOT NULL,
    actor        TEXT NOT NULL,
    verb         TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object       TEXT NOT NULL,
    registration TEXT,
    voids        TEXT,
    voided       BOOLEAN NOT NULL DEFAULT FALSE,
    client_id    TEXT REFERENCES xapi_clients (id),
    person_id    TEXT REFERENCES people (id),
    body         TEXT NOT NULL
);
CREATE INDEX xapi_statements_actor_idx ON xapi_statements (actor, seq);
CREATE INDEX xapi_statements_object_idx ON xapi_statements (object, seq);
CREATE INDEX xapi_statements_verb_idx ON xapi_statements (verb, seq);
CREATE INDEX xapi_statements_stored_idx ON xapi_statements (stored);
CREATE INDEX xapi_statements_registration_idx ON xapi_statements (registration, seq) WHERE registration IS NOT NULL;
CREATE INDEX xapi_statements_person_idx ON xapi_statements (person_id, seq) WHERE person_id IS NOT NULL;
CREATE INDEX xapi_statements_voids_idx ON xapi_statements (voids) WHERE voids IS NOT NULL;

-- What a statement involves beyond its actor and object: kind 'g' is an agent (a member of the
-- actor group, an instructor, team, authority, sub-statement agents), 'a' an activity (context
-- activities, the sub-statement's object). direct marks members of the actor group, which the
-- plain agent filter also matches.
CREATE TABLE xapi_statement_refs (
    value  TEXT NOT NULL,
    kind   TEXT NOT NULL,
    seq    INTEGER NOT NULL REFERENCES xapi_statements (seq) ON DELETE CASCADE,
    direct BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (value, kind, seq)
) WITHOUT ROWID;

-- Attachment contents sent in multipart requests, by their SHA-2 hash, shared by statements.
CREATE TABLE xapi_attachments (
    sha2         TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL
);

-- State (kind 'state': activity, agent, optional registration), Activity Profile ('activity':
-- activity only) and Agent Profile ('agent': agent only) documents. Unused parts of the key are ''.
CREATE TABLE xapi_documents (
    kind         TEXT NOT NULL,
    activity_id  TEXT NOT NULL,
    agent        TEXT NOT NULL,
    registration TEXT NOT NULL,
    doc_id       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    etag         TEXT NOT NULL,
    updated      TIMESTAMP NOT NULL,
    client_id    TEXT REFERENCES xapi_clients (id),
    PRIMARY KEY (kind, activity_id, agent, registration, doc_id)
);
CREATE INDEX xapi_documents_updated_idx ON xapi_documents (kind, activity_id, agent, updated);

-- The latest definition of each activity seen in a statement, for the Activities resource and
-- for names on screen.
CREATE TABLE xapi_activities (
    id         TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    updated    TIMESTAMP NOT NULL
);

-- The outbox of learning events (internal/outbox): what happened to a person's learning,
-- written in the transaction of the change. The LRS, its subscriber, turns undelivered events
-- into statements (whose ids are the events' ids, so a repeat stores nothing) and marks them
-- delivered: nothing is lost while it is behind, whatever order transactions commit in.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL,
    person_id    TEXT NOT NULL REFERENCES people (id),
    at           TIMESTAMP NOT NULL,
    data         TEXT NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX events_undelivered_idx ON events (seq) WHERE delivered_at IS NULL;
CREATE INDEX events_person_idx ON events (person_id, seq);

-- Statements from other tools count as learning: a completed or passed statement about a mapped
-- activity records a completion of the learning item (and through it the item's skills
-- evidence). The LRS reads statements in seq order from the cursor in settings
-- (xapi_evidence_seq).
CREATE TABLE xapi_mappings (
    activity_id TEXT PRIMARY KEY,
    item_id     TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
    created_by  TEXT REFERENCES accounts (id),
    created_at  TIMESTAMP NOT NULL
);
