-- +goose Up
-- 说明：工作台：期限顺延记录，以及工作台、到期提醒和审计日志筛选所用的索引
-- A postponement (顺延) moves a deadline's due date by hand, with a note;
-- a postponed deadline is no longer recomputed from its rule.
CREATE TABLE deadline_postponements (
    id          INTEGER PRIMARY KEY,
    deadline_id INTEGER NOT NULL REFERENCES deadlines(id) ON DELETE CASCADE,
    old_due     TEXT NOT NULL,
    new_due     TEXT NOT NULL,
    note        TEXT NOT NULL,
    by_user_id  INTEGER REFERENCES users(id),
    at          TIMESTAMP NOT NULL
);
CREATE INDEX deadline_postponements_deadline ON deadline_postponements(deadline_id);

-- Dashboard sections and the due-notice job.
CREATE INDEX deadlines_status_due ON deadlines(status, due_date);
CREATE INDEX deadlines_rule_status ON deadlines(rule_id, status, due_date);
CREATE INDEX conflict_checks_decision ON conflict_checks(decision, id);
CREATE INDEX consultations_lawyer_open ON consultations(lawyer_id, ended_at);
CREATE INDEX evidence_items_added_by ON evidence_items(added_by_id);
-- The matter picker lists the newest matters first.
CREATE INDEX matters_created ON matters(created_at, id);
-- Audit page filters.
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_at ON audit_log(at);

-- +goose Down
DROP INDEX audit_log_at;
DROP INDEX audit_log_action;
DROP INDEX audit_log_actor;
DROP INDEX matters_created;
DROP INDEX evidence_items_added_by;
DROP INDEX consultations_lawyer_open;
DROP INDEX conflict_checks_decision;
DROP INDEX deadlines_rule_status;
DROP INDEX deadlines_status_due;
DROP TABLE deadline_postponements;
