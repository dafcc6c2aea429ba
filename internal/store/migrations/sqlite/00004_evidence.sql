-- +goose Up
-- The evidence log (internal/ledger): one row per leaf, the exact bytes.
CREATE TABLE ledger_entries (
    idx       INTEGER PRIMARY KEY,
    data      BLOB NOT NULL,
    leaf_hash BLOB NOT NULL
);

CREATE TABLE ledger_checkpoints (
    id         INTEGER PRIMARY KEY,
    size       INTEGER NOT NULL,
    note       BLOB NOT NULL,
    tsr        BLOB,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ledger_checkpoints_size ON ledger_checkpoints(size, created_at);

CREATE TABLE evidence_items (
    id              INTEGER PRIMARY KEY,
    log_index       INTEGER NOT NULL UNIQUE REFERENCES ledger_entries(idx),
    title           TEXT NOT NULL,
    matter_ref      TEXT NOT NULL DEFAULT '',
    source_provider TEXT NOT NULL DEFAULT '',
    source_method   TEXT NOT NULL DEFAULT '',
    collected_at    TEXT NOT NULL DEFAULT '',
    source_device   TEXT NOT NULL DEFAULT '',
    purpose         TEXT NOT NULL DEFAULT '',
    formed_at       TEXT NOT NULL DEFAULT '',
    file_name       TEXT NOT NULL,
    media_type      TEXT NOT NULL DEFAULT '',
    sha256          TEXT NOT NULL,
    sm3             TEXT NOT NULL,
    size            INTEGER NOT NULL,
    warnings        TEXT NOT NULL DEFAULT '[]',
    added_by_id     INTEGER REFERENCES users(id),
    added_by        TEXT NOT NULL,
    added_at        TIMESTAMP NOT NULL
);
CREATE INDEX evidence_items_sha256 ON evidence_items(sha256);
CREATE INDEX evidence_items_matter ON evidence_items(matter_ref);

CREATE TABLE evidence_submissions (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES evidence_items(id),
    platform     TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    reference    TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX evidence_submissions_item ON evidence_submissions(item_id);

-- +goose Down
DROP TABLE evidence_submissions;
DROP TABLE evidence_items;
DROP TABLE ledger_checkpoints;
DROP TABLE ledger_entries;
