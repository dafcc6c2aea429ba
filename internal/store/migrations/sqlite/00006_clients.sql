-- +goose Up
-- The client book: contacts with tags and star, matters with their staff and
-- parties, conflict checks with the recorded decision, consultations.
CREATE TABLE contacts (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('person', 'org')),
    name                TEXT NOT NULL,
    wechat_id           TEXT NOT NULL DEFAULT '',
    wecom_external_id   TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    organization        TEXT NOT NULL DEFAULT '',
    uscc                TEXT NOT NULL DEFAULT '',
    id_number           TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    source              TEXT NOT NULL DEFAULT '',
    avatar              TEXT NOT NULL DEFAULT '',
    starred             INTEGER NOT NULL DEFAULT 0,
    last_reviewed_at    TIMESTAMP,
    reviewed_by         INTEGER REFERENCES users(id),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX contacts_name ON contacts(name);
CREATE INDEX contacts_review ON contacts(last_reviewed_at);

-- Firm tags; the three defaults are marked builtin and cannot be removed.
CREATE TABLE tags (
    name    TEXT PRIMARY KEY,
    builtin INTEGER NOT NULL DEFAULT 0
);
INSERT INTO tags (name, builtin) VALUES ('现有客户', 1), ('潜在客户', 1), ('同行律师', 1);

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL REFERENCES tags(name),
    PRIMARY KEY (contact_id, tag)
);
CREATE INDEX contact_tags_tag ON contact_tags(tag);

CREATE TABLE matters (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    type           TEXT NOT NULL,
    case_number    TEXT NOT NULL DEFAULT '',
    court          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('consulting', 'engaged', 'in_progress', 'closed', 'archived')),
    engaged_on     TIMESTAMP,
    closed_on      TIMESTAMP,
    lead_lawyer_id INTEGER NOT NULL REFERENCES users(id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX matters_lead ON matters(lead_lawyer_id);

-- Staff of a matter besides the lead lawyer: assisting staff and lawyers it
-- is shared with.
CREATE TABLE matter_staff (
    matter_id INTEGER NOT NULL REFERENCES matters(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    role      TEXT NOT NULL CHECK (role IN ('assistant', 'shared')),
    PRIMARY KEY (matter_id, user_id, role)
);
CREATE INDEX matter_staff_user ON matter_staff(user_id);

CREATE TABLE matter_parties (
    id         INTEGER PRIMARY KEY,
    matter_id  INTEGER NOT NULL REFERENCES matters(id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('person', 'org')),
    role       TEXT NOT NULL CHECK (role IN ('client', 'opposing', 'third', 'other')),
    uscc       TEXT NOT NULL DEFAULT '',
    id_number  TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX matter_parties_matter ON matter_parties(matter_id);
CREATE INDEX matter_parties_contact ON matter_parties(contact_id);

-- One conflict check: the parties asked about, the hits found (JSON) and the
-- lawyer's decision once recorded.
CREATE TABLE conflict_checks (
    id         INTEGER PRIMARY KEY,
    matter_id  INTEGER REFERENCES matters(id) ON DELETE SET NULL,
    query      TEXT NOT NULL,
    hits       TEXT NOT NULL,
    hit_count  INTEGER NOT NULL,
    checked_by INTEGER REFERENCES users(id),
    checked_at TIMESTAMP NOT NULL,
    decision   TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'no-conflict', 'waived', 'declined')),
    reason     TEXT NOT NULL DEFAULT '',
    decided_by INTEGER REFERENCES users(id),
    decided_at TIMESTAMP
);
CREATE INDEX conflict_checks_matter ON conflict_checks(matter_id);

CREATE TABLE consultations (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    lawyer_id  INTEGER NOT NULL REFERENCES users(id),
    channel    TEXT NOT NULL,
    topic      TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    free       INTEGER NOT NULL DEFAULT 0,
    started_at TIMESTAMP NOT NULL,
    ended_at   TIMESTAMP,
    matter_id  INTEGER REFERENCES matters(id) ON DELETE SET NULL
);
CREATE INDEX consultations_started ON consultations(started_at);
CREATE INDEX consultations_lawyer ON consultations(lawyer_id);

-- +goose Down
DROP TABLE consultations;
DROP TABLE conflict_checks;
DROP TABLE matter_parties;
DROP TABLE matter_staff;
DROP TABLE matters;
DROP TABLE contact_tags;
DROP TABLE tags;
DROP TABLE contacts;
