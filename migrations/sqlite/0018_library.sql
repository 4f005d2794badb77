-- The resource library: guides (Markdown, with their edit history), links and uploaded
-- files, each owned by a member, tagged, optionally tied to an initiative or a goal, and
-- due for review on a date.
CREATE TABLE resources (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('guide', 'link', 'file')),
    title         TEXT    NOT NULL,
    summary       TEXT    NOT NULL DEFAULT '',
    body          TEXT    NOT NULL DEFAULT '',
    body_html     TEXT    NOT NULL DEFAULT '',
    url           TEXT,
    licence       TEXT    NOT NULL DEFAULT '',
    attribution   TEXT    NOT NULL DEFAULT '',
    initiative_id INTEGER REFERENCES initiatives(id) ON DELETE SET NULL,
    goal_id       INTEGER REFERENCES goals(id) ON DELETE SET NULL,
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    review_by     TEXT,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    CHECK ((kind = 'link') = (url IS NOT NULL))
) STRICT;

CREATE INDEX resources_by_community ON resources(community_id, updated_at);
CREATE INDEX resources_by_initiative ON resources(initiative_id);
CREATE INDEX resources_by_goal ON resources(goal_id);
CREATE INDEX resources_for_review ON resources(review_by);

CREATE TABLE resource_tags (
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    tag         TEXT    NOT NULL,
    PRIMARY KEY (resource_id, tag)
) STRICT;

CREATE INDEX resource_tags_by_tag ON resource_tags(tag);

-- An uploaded file: stored under the data folder by a random key, never at a public URL.
CREATE TABLE resource_files (
    resource_id  INTEGER PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
    storage_key  TEXT    NOT NULL UNIQUE,
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256       TEXT    NOT NULL
) STRICT;

-- A guide's earlier versions, like a post's.
CREATE TABLE resource_revisions (
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    editor_id   INTEGER REFERENCES users(id),
    title       TEXT    NOT NULL,
    summary     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
) STRICT;

CREATE INDEX resource_revisions_by_resource ON resource_revisions(resource_id, id);

-- "Helpful" marks and "outdated" flags, one per member; a change to the resource clears
-- the outdated flags (they were about the old version).
CREATE TABLE resource_marks (
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mark        TEXT    NOT NULL CHECK (mark IN ('helpful', 'outdated')),
    note        TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (resource_id, user_id, mark)
) STRICT;

-- Leaders' ordered collections.
CREATE TABLE resource_collections (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    UNIQUE (community_id, name)
) STRICT;

CREATE TABLE collection_items (
    collection_id INTEGER NOT NULL REFERENCES resource_collections(id) ON DELETE CASCADE,
    resource_id   INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    PRIMARY KEY (collection_id, resource_id)
) STRICT;

-- Search over titles, summaries, tags and guides, kept by triggers like post_search.
CREATE VIRTUAL TABLE resource_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER resources_search_insert AFTER INSERT ON resources BEGIN
    INSERT INTO resource_search (rowid, title, body)
    VALUES (new.id, new.title, new.summary || ' ' || new.body);
END;
CREATE TRIGGER resources_search_update AFTER UPDATE OF title, summary, body ON resources BEGIN
    DELETE FROM resource_search WHERE rowid = old.id;
    INSERT INTO resource_search (rowid, title, body)
    VALUES (new.id, new.title, new.summary || ' ' || new.body);
END;
CREATE TRIGGER resources_search_delete AFTER DELETE ON resources BEGIN
    DELETE FROM resource_search WHERE rowid = old.id;
END;
