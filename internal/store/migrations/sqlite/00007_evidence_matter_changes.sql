-- +goose Up
-- A matter assigned or changed after preservation. The log entry keeps the
-- matter it was preserved under (it is immutable); evidence_items.matter_ref
-- is the current one, and every change is recorded here and in the audit log.
CREATE TABLE evidence_matter_changes (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES evidence_items(id),
    from_ref   TEXT NOT NULL,
    to_ref     TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_matter_changes_item ON evidence_matter_changes(item_id);

-- +goose Down
DROP TABLE evidence_matter_changes;
