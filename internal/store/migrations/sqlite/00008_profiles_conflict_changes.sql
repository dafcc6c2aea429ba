-- +goose Up
-- A lawyer's professional identity (专业形象): the WeChat nickname and
-- signature checked against the firm's conventions, and what the contact
-- card (vCard and QR code) shows.
CREATE TABLE lawyer_profiles (
    user_id        INTEGER PRIMARY KEY REFERENCES users(id),
    name           TEXT NOT NULL DEFAULT '',
    nickname       TEXT NOT NULL DEFAULT '',
    signature      TEXT NOT NULL DEFAULT '',
    firm_abbrev    TEXT NOT NULL DEFAULT '',
    firm_name      TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    work_phone     TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    wechat_id      TEXT NOT NULL DEFAULT '',
    license_number TEXT NOT NULL DEFAULT '',
    practice_areas TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL
);

-- Which contacts and matters changed, in commit order, so a cached conflict
-- index is brought up to date by re-reading only those (no foreign keys: a
-- deleted row is a change too).
CREATE TABLE conflict_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER,
    matter_id  INTEGER
);

-- +goose Down
DROP TABLE conflict_changes;
DROP TABLE lawyer_profiles;
