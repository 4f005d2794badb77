-- Discussions: threads of posts in a community, with categories, edit history,
-- reactions, flags, moderation and full-text search.

CREATE TABLE categories (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (community_id, name)
) STRICT;

-- reply_count and last_post_at are kept up to date in the transaction that adds a post,
-- so the list never counts rows.
CREATE TABLE threads (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    category_id  INTEGER REFERENCES categories(id) ON DELETE SET NULL,
    author_id    INTEGER NOT NULL REFERENCES users(id),
    title        TEXT    NOT NULL,
    pinned       INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    locked       INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    post_count   INTEGER NOT NULL DEFAULT 0,
    last_post_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- The list: pinned first, then newest activity; keyset pages over (last_post_at, id).
CREATE INDEX threads_by_activity ON threads(community_id, pinned, last_post_at DESC, id DESC);
CREATE INDEX threads_by_category ON threads(category_id, pinned, last_post_at DESC, id DESC);

-- number: the post's place in its thread (1 is the opening post); pages are
-- "posts after number N", served straight from the (thread_id, number) index.
CREATE TABLE posts (
    id            INTEGER PRIMARY KEY,
    thread_id     INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    community_id  INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    author_id     INTEGER NOT NULL REFERENCES users(id),
    reply_to_id   INTEGER REFERENCES posts(id),
    body_source   TEXT    NOT NULL,
    body_html     TEXT    NOT NULL,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    edited_at     TEXT,
    deleted_at    TEXT,
    hidden_at     TEXT,
    hidden_by     INTEGER REFERENCES users(id),
    hidden_reason TEXT    NOT NULL DEFAULT '',
    UNIQUE (thread_id, number)
) STRICT;

-- Duplicate-text and rate checks look at a person's newest posts.
CREATE INDEX posts_by_author ON posts(author_id, created_at DESC);

-- Every earlier version of an edited post, newest last.
CREATE TABLE post_revisions (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    body_source TEXT    NOT NULL,
    body_html   TEXT    NOT NULL,
    written_at  TEXT    NOT NULL,
    replaced_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX post_revisions_by_post ON post_revisions(post_id, id);

-- One of each kind per person per post.
CREATE TABLE reactions (
    post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('thumbs_up', 'heart', 'celebrate', 'thanks', 'insight')),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (post_id, user_id, kind)
) STRICT, WITHOUT ROWID;

-- A member's report that a post goes against one of the community's values.
CREATE TABLE flags (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    flagger_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason      TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'upheld')),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    resolved_by INTEGER REFERENCES users(id),
    resolved_at TEXT
) STRICT;

CREATE UNIQUE INDEX flags_one_open ON flags(post_id, flagger_id) WHERE status = 'open';
CREATE INDEX flags_queue ON flags(community_id, status, post_id);

-- Full-text search over thread titles (on the opening post) and post bodies.
CREATE VIRTUAL TABLE post_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER posts_search_insert AFTER INSERT ON posts
BEGIN
    INSERT INTO post_search (rowid, title, body)
    VALUES (new.id,
            CASE WHEN new.number = 1 THEN (SELECT title FROM threads WHERE id = new.thread_id) ELSE '' END,
            new.body_source);
END;

CREATE TRIGGER posts_search_update AFTER UPDATE OF body_source ON posts
BEGIN
    UPDATE post_search SET body = new.body_source WHERE rowid = new.id;
END;

CREATE TRIGGER posts_search_delete AFTER DELETE ON posts
BEGIN
    DELETE FROM post_search WHERE rowid = old.id;
END;
