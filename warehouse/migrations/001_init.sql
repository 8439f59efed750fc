-- 001: runs, per-source run records, incremental source state, posts (versioned), classifications.
CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    flow        VARCHAR NOT NULL,
    started     TIMESTAMPTZ NOT NULL,
    finished    TIMESTAMPTZ,
    status      VARCHAR NOT NULL,          -- running, ok, partial, failed
    summary     JSON
);

CREATE TABLE source_runs (
    run_id      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    started     TIMESTAMPTZ,
    finished    TIMESTAMPTZ,
    status      VARCHAR NOT NULL,          -- ok, not_modified, degraded, failed, skipped
    error       VARCHAR,
    http_status INTEGER,
    items_seen  INTEGER NOT NULL DEFAULT 0,
    matched     INTEGER NOT NULL DEFAULT 0,
    new_posts   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, source)
);

CREATE TABLE source_state (
    source      VARCHAR PRIMARY KEY,
    state       JSON NOT NULL,
    updated     TIMESTAMPTZ NOT NULL
);

-- One row per distinct version of a post: post_id = hash(post_key, content). A post whose text
-- changes (an edited article, a thread with new replies) gets a new row with version + 1.
CREATE TABLE posts (
    post_id       VARCHAR PRIMARY KEY,
    post_key      VARCHAR NOT NULL,
    version       INTEGER NOT NULL,
    source        VARCHAR NOT NULL,
    source_name   VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    title         VARCHAR,
    text          VARCHAR,
    author        VARCHAR,
    published     TIMESTAMPTZ,
    fetched       TIMESTAMPTZ NOT NULL,
    first_run_id  VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    matched_terms VARCHAR[],
    extra         JSON
);
CREATE INDEX posts_key ON posts (post_key);

-- History kept: a post may be classified again by a newer model; the newest row wins.
CREATE TABLE classifications (
    post_id       VARCHAR NOT NULL,
    classified_at TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR,
    label         VARCHAR NOT NULL CHECK (label IN ('neutral', 'inappropriate', 'media_enquiry')),
    subreason     VARCHAR,
    confidence    DOUBLE,
    explanation   VARCHAR,
    model_version VARCHAR NOT NULL,
    details       JSON
);
CREATE INDEX classifications_post ON classifications (post_id);

-- The latest version of every post with its latest classification.
CREATE VIEW v_mentions AS
WITH latest_post AS (
    SELECT * FROM posts
    QUALIFY row_number() OVER (PARTITION BY post_key ORDER BY version DESC) = 1
), latest_label AS (
    SELECT * FROM classifications
    QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY classified_at DESC) = 1
)
SELECT
    p.post_id, p.post_key, p.version, p.source, p.source_name, p.url, p.title, p.text,
    p.author, p.published, p.fetched, p.matched_terms,
    c.label, c.subreason, c.confidence, c.explanation, c.model_version, c.details,
    p.extra
FROM latest_post p
LEFT JOIN latest_label c USING (post_id);

-- Source health per run: "0 mentions" and "source broken" never look the same.
CREATE VIEW v_source_health AS
SELECT r.started AS run_started, s.*
FROM source_runs s JOIN runs r USING (run_id);
