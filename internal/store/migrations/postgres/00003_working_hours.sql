-- +goose Up
-- Each lawyer's working hours (on Chinese working days); users without a
-- row work the firm default 09:00-18:00 Asia/Shanghai.
CREATE TABLE working_hours (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    start_time TEXT NOT NULL,
    end_time   TEXT NOT NULL,
    zone       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE working_hours;
