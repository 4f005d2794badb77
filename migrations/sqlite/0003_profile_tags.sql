-- Skills and interests: free tags on a profile.
CREATE TABLE user_tags (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL CHECK (kind IN ('skill', 'interest')),
    tag     TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind, tag)
) STRICT, WITHOUT ROWID;
