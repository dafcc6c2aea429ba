-- +goose Up
-- Saved deadlines remember the holiday data they were computed on
-- (calendar.Calendar.Version) so that an import or a newer embedded year
-- recomputes them; each move is kept in deadline_changes and shown to the
-- owner. Chains: one trigger event on a matter (判决书送达 ...) creates the
-- deadlines that follow from it, linked by trigger_id.
CREATE TABLE deadline_triggers (
    id         INTEGER PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES users(id),
    matter_id  INTEGER NOT NULL REFERENCES matters(id),
    kind       TEXT NOT NULL,
    event_date TEXT NOT NULL,
    is_foreign INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX deadline_triggers_matter ON deadline_triggers(matter_id);

ALTER TABLE deadlines ADD COLUMN calendar_version TEXT NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN trigger_id INTEGER REFERENCES deadline_triggers(id);
CREATE INDEX deadlines_trigger ON deadlines(trigger_id);

CREATE TABLE deadline_changes (
    id               INTEGER PRIMARY KEY,
    deadline_id      INTEGER NOT NULL REFERENCES deadlines(id) ON DELETE CASCADE,
    owner_id         INTEGER NOT NULL REFERENCES users(id),
    old_due          TEXT NOT NULL,
    new_due          TEXT NOT NULL,
    old_provisional  INTEGER NOT NULL,
    new_provisional  INTEGER NOT NULL,
    calendar_version TEXT NOT NULL,
    cause            TEXT NOT NULL CHECK (cause IN ('calendar', 'trigger')),
    reason           TEXT NOT NULL,
    changed_at       TIMESTAMP NOT NULL
);
CREATE INDEX deadline_changes_deadline ON deadline_changes(deadline_id);
CREATE INDEX deadline_changes_owner ON deadline_changes(owner_id, changed_at);

-- +goose Down
DROP TABLE deadline_changes;
DROP INDEX deadlines_trigger;
ALTER TABLE deadlines DROP COLUMN trigger_id;
ALTER TABLE deadlines DROP COLUMN calendar_version;
DROP TABLE deadline_triggers;
