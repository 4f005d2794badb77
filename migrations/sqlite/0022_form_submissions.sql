-- Resubmission: each rendered form carries a key; the first submission that makes
-- something records what it made, in the same transaction, and a second submission of the
-- same form (a double tap, back and resubmit, a retry after a dropped connection) is
-- answered with that instead of making another. Kept for a day.
CREATE TABLE form_submissions (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    form_key   TEXT    NOT NULL,
    made_id    INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (user_id, form_key)
) STRICT;

CREATE INDEX form_submissions_by_age ON form_submissions(created_at);
