-- +goose Up
-- Evidence linked to a matter of the client book. matter_id decides who may
-- see the item (clientbook.CanViewEvidence); matter_ref stays the text shown
-- (the linked matter's label, or free text for evidence with no matter yet).
-- The log entry keeps the text the file was preserved under, immutably.
ALTER TABLE evidence_items ADD COLUMN matter_id BIGINT REFERENCES matters(id);
CREATE INDEX evidence_items_matter_id ON evidence_items(matter_id);
ALTER TABLE evidence_matter_changes ADD COLUMN from_matter_id BIGINT;
ALTER TABLE evidence_matter_changes ADD COLUMN to_matter_id BIGINT;

-- Free text that names exactly one matter by its case number or title is
-- linked to it, so that the matter's staff keep seeing evidence preserved
-- before the link existed.
UPDATE evidence_items SET matter_id = (
    SELECT m.id FROM matters m WHERE m.case_number = evidence_items.matter_ref OR m.title = evidence_items.matter_ref)
WHERE matter_ref <> '' AND (
    SELECT count(*) FROM matters m WHERE m.case_number = evidence_items.matter_ref OR m.title = evidence_items.matter_ref) = 1;

-- +goose Down
DROP INDEX evidence_items_matter_id;
ALTER TABLE evidence_matter_changes DROP COLUMN to_matter_id;
ALTER TABLE evidence_matter_changes DROP COLUMN from_matter_id;
ALTER TABLE evidence_items DROP COLUMN matter_id;
