-- +goose Up
-- 说明：手机丢失应急：用户可被紧急冻结（冻结期间不能登录、不代发企业微信消息）；记录应急清单与演练的每一步，以及钓鱼演练成绩
-- A frozen user cannot sign in and nothing is sent on their behalf until an
-- admin unfreezes them.
ALTER TABLE users ADD COLUMN frozen_at TIMESTAMP;
ALTER TABLE users ADD COLUMN frozen_by TEXT NOT NULL DEFAULT '';

-- One emergency (a real freeze) or one drill of the same checklist.
CREATE TABLE freeze_incidents (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    drill       BOOLEAN NOT NULL DEFAULT FALSE,
    started_at  TIMESTAMP NOT NULL,
    started_by  TEXT NOT NULL,
    ended_at    TIMESTAMP,
    ended_by    TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the token that lets the frozen user's browser tick off the
    -- checklist after its session ended (that and nothing else), and until when.
    checklist_token_hash TEXT NOT NULL DEFAULT '',
    checklist_until      TIMESTAMP
);
CREATE INDEX freeze_incidents_user ON freeze_incidents(user_id, started_at);

-- Each checklist step ticked off, with who and when.
CREATE TABLE freeze_steps (
    incident_id INTEGER NOT NULL REFERENCES freeze_incidents(id) ON DELETE CASCADE,
    step        TEXT NOT NULL,
    done_at     TIMESTAMP NOT NULL,
    done_by     TEXT NOT NULL,
    PRIMARY KEY (incident_id, step)
);

-- One phishing drill (钓鱼演练) taken by a user: how many of the messages
-- were judged right, and the two kinds of mistakes.
CREATE TABLE phishing_drills (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    taken_at     TIMESTAMP NOT NULL,
    questions    INTEGER NOT NULL,
    correct      INTEGER NOT NULL,
    missed_lures INTEGER NOT NULL,
    false_alarms INTEGER NOT NULL
);
CREATE INDEX phishing_drills_user ON phishing_drills(user_id, taken_at);

-- +goose Down
DROP INDEX phishing_drills_user;
DROP TABLE phishing_drills;
DROP TABLE freeze_steps;
DROP INDEX freeze_incidents_user;
DROP TABLE freeze_incidents;
ALTER TABLE users DROP COLUMN frozen_by;
ALTER TABLE users DROP COLUMN frozen_at;
