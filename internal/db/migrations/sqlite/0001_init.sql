-- learnloop schema 1 (SQLite): settings, organization, people, accounts, sessions, tokens, audit, imports.
-- Times are fixed-width UTC text (see db.timeLayout); dates are YYYY-MM-DD text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE org_units (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('company', 'division', 'department', 'team')),
    parent_id  TEXT REFERENCES org_units (id),
    path       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX org_units_code_key ON org_units (lower(code));
CREATE INDEX org_units_parent_idx ON org_units (parent_id);
CREATE INDEX org_units_path_idx ON org_units (path);

CREATE TABLE job_roles (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX job_roles_name_key ON job_roles (lower(name));

-- seq gives the full-text index a stable integer row id (VACUUM may renumber implicit rowids).
CREATE TABLE people (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    employee_number TEXT,
    given_name      TEXT NOT NULL,
    family_name     TEXT NOT NULL,
    email           TEXT,
    job_title       TEXT NOT NULL DEFAULT '',
    job_role_id     TEXT REFERENCES job_roles (id),
    org_unit_id     TEXT REFERENCES org_units (id),
    manager_id      TEXT REFERENCES people (id),
    location        TEXT NOT NULL DEFAULT '',
    time_zone       TEXT NOT NULL DEFAULT '',
    hire_date       DATE,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
    left_on         DATE,
    reports_path    TEXT NOT NULL,
    sort_name       TEXT NOT NULL,
    search_text     TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX people_employee_number_key ON people (employee_number);
CREATE UNIQUE INDEX people_email_key ON people (email);
CREATE INDEX people_sort_idx ON people (sort_name, id);
CREATE INDEX people_manager_idx ON people (manager_id, status);
CREATE INDEX people_org_unit_idx ON people (org_unit_id, sort_name);
CREATE INDEX people_job_role_idx ON people (job_role_id);
CREATE INDEX people_location_idx ON people (location);
CREATE INDEX people_reports_path_idx ON people (reports_path);

CREATE VIRTUAL TABLE people_fts USING fts5 (
    search_text,
    content = 'people',
    content_rowid = 'seq',
    tokenize = 'unicode61',
    prefix = '1 2 3'
);
CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_fts (rowid, search_text) VALUES (new.seq, new.search_text);
END;
CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
END;
CREATE TRIGGER people_fts_update AFTER UPDATE OF search_text ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    INSERT INTO people_fts (rowid, search_text) VALUES (new.seq, new.search_text);
END;

CREATE TABLE accounts (
    id                  TEXT PRIMARY KEY,
    person_id           TEXT NOT NULL UNIQUE REFERENCES people (id),
    password_hash       TEXT NOT NULL DEFAULT '',
    disabled_at         TIMESTAMP,
    password_changed_at TIMESTAMP,
    last_login_at       TIMESTAMP,
    created_at          TIMESTAMP NOT NULL
);

CREATE TABLE account_roles (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('lnd_admin', 'hr_admin', 'sys_admin')),
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account_idx ON sessions (account_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

CREATE TABLE password_resets (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX password_resets_account_idx ON password_resets (account_id);

CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key_idx ON login_failures (key, at);

-- The audit log outlives the accounts it names, so it keeps names as text and has no foreign keys.
CREATE TABLE audit_log (
    id               TEXT PRIMARY KEY,
    at               TIMESTAMP NOT NULL,
    actor_account_id TEXT,
    actor_name       TEXT NOT NULL,
    action           TEXT NOT NULL,
    target_type      TEXT NOT NULL DEFAULT '',
    target_id        TEXT NOT NULL DEFAULT '',
    summary          TEXT NOT NULL,
    details          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_action_idx ON audit_log (action, id);
CREATE INDEX audit_log_target_idx ON audit_log (target_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_account_id);

-- Uploaded import files wait here between preview and confirmation.
CREATE TABLE imports (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    filename   TEXT NOT NULL,
    options    TEXT NOT NULL DEFAULT '{}',
    content    BLOB NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('previewed', 'applied', 'discarded')),
    applied_at TIMESTAMP,
    summary    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX imports_created_idx ON imports (created_at);
