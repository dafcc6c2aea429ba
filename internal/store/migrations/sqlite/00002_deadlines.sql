-- +goose Up
CREATE TABLE holiday_years (
    year        INTEGER PRIMARY KEY,
    data        TEXT NOT NULL,
    source      TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    imported_by TEXT NOT NULL
);

CREATE TABLE deadlines (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users(id),
    matter_id   INTEGER,
    matter_ref  TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    rule_id     TEXT NOT NULL,
    from_date   TEXT NOT NULL,
    is_foreign  INTEGER NOT NULL DEFAULT 0,
    due_date    TEXT NOT NULL,
    statute     TEXT NOT NULL,
    result      TEXT NOT NULL,
    provisional INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    created_at  TIMESTAMP NOT NULL,
    done_at     TIMESTAMP
);
CREATE INDEX deadlines_owner_due ON deadlines(owner_id, status, due_date);
CREATE INDEX deadlines_matter ON deadlines(matter_id);

-- One personal iCalendar feed per user; only the token's hash is kept.
CREATE TABLE calendar_feeds (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE deadlines;
DROP TABLE holiday_years;
