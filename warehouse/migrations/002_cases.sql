-- 002: responding. Cases (who, by when), the outbox of alerts, evidence snapshots, the hash-chained
-- audit log, and people's label corrections (which win over the model in v_mentions).

-- One case per routed post and label: a new version of a post with the same label is the same
-- case; a version (or a re-run model) giving another label opens a new one.
CREATE TABLE cases (
    case_id         INTEGER PRIMARY KEY,
    post_id         VARCHAR NOT NULL,          -- the version that opened the case
    post_key        VARCHAR NOT NULL,
    label           VARCHAR NOT NULL CHECK (label IN ('neutral', 'inappropriate', 'media_enquiry')),
    subreason       VARCHAR,
    role            VARCHAR NOT NULL,          -- the role that owns the case
    roles           VARCHAR[] NOT NULL,        -- every role that was told
    assignee        VARCHAR,                   -- person id from the profile; NULL: nobody in role
    deputy          VARCHAR,
    about_pupils    BOOLEAN NOT NULL DEFAULT false,
    received        TIMESTAMPTZ NOT NULL,      -- when a run first saw the post
    due             TIMESTAMPTZ NOT NULL,
    status          VARCHAR NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'acknowledged', 'resolved')),
    created         TIMESTAMPTZ NOT NULL,
    run_id          VARCHAR,
    acknowledged_at TIMESTAMPTZ,
    acknowledged_by VARCHAR,
    resolved_at     TIMESTAMPTZ,
    resolved_by     VARCHAR,
    notes           VARCHAR,
    escalated_at    TIMESTAMPTZ,
    digest_id       VARCHAR                    -- neutral items: the daily digest they went in
);
CREATE INDEX cases_post_key ON cases (post_key);

-- Every message to send. dedupe_key is unique, so queueing twice (a re-run) is a no-op, and a
-- row marked sent is never sent again. Webhook URLs are secrets and are NOT stored: recipient is
-- the email address or the person id, resolved to a URL only at send time.
CREATE TABLE outbox (
    message_id   VARCHAR PRIMARY KEY,
    dedupe_key   VARCHAR NOT NULL UNIQUE,
    kind         VARCHAR NOT NULL,             -- alert, escalation, reassigned, digest
    case_id      INTEGER,
    digest_id    VARCHAR,
    channel      VARCHAR NOT NULL CHECK (channel IN ('email', 'slack', 'teams')),
    person       VARCHAR NOT NULL,
    recipient    VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,
    body         VARCHAR NOT NULL,             -- plain text; payload renders HTML / cards
    payload      JSON NOT NULL,
    status       VARCHAR NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt TIMESTAMPTZ NOT NULL,
    claimed_at   TIMESTAMPTZ,
    last_error   VARCHAR,
    created      TIMESTAMPTZ NOT NULL,
    sent_at      TIMESTAMPTZ
);

-- What the post said when we found it (inappropriate items are evidence for removal requests,
-- complaints or the police). sha256 is over the UTF-8 text, html_sha256 over the page HTML:
-- `SELECT sha256(content) = sha256 FROM evidence` re-checks them.
CREATE TABLE evidence (
    post_id     VARCHAR PRIMARY KEY,
    post_key    VARCHAR NOT NULL,
    url         VARCHAR NOT NULL,
    content     VARCHAR NOT NULL,
    html        VARCHAR,
    sha256      VARCHAR NOT NULL,
    html_sha256 VARCHAR,
    fetched     TIMESTAMPTZ NOT NULL,          -- when the source was read
    captured    TIMESTAMPTZ NOT NULL
);

-- Append-only and hash-chained: hash = sha256(prev_hash | seq | epoch_us(at) | actor | action |
-- case_id | detail). Editing, deleting or inserting a row breaks the chain (`mentions audit verify`).
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    "at"      TIMESTAMPTZ NOT NULL,          -- quoted: AT is a keyword
    actor     VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    case_id   INTEGER,
    detail    VARCHAR NOT NULL,                -- canonical JSON text (hashed byte for byte)
    prev_hash VARCHAR NOT NULL,
    hash      VARCHAR NOT NULL
);

-- People's labels. Never overwritten: the newest correction of a post wins over the model.
CREATE TABLE corrections (
    post_key     VARCHAR NOT NULL,
    label        VARCHAR NOT NULL CHECK (label IN ('neutral', 'inappropriate', 'media_enquiry')),
    subreason    VARCHAR,
    corrected_by VARCHAR NOT NULL,
    corrected_at TIMESTAMPTZ NOT NULL,
    note         VARCHAR
);
CREATE INDEX corrections_key ON corrections (post_key);

-- The latest version of every post with its latest label: a person's correction wins over the
-- model (model_label keeps what the model said; corrected says which won).
CREATE OR REPLACE VIEW v_mentions AS
WITH latest_post AS (
    SELECT * FROM posts
    QUALIFY row_number() OVER (PARTITION BY post_key ORDER BY version DESC) = 1
), latest_label AS (
    SELECT * FROM classifications
    QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY classified_at DESC) = 1
), latest_correction AS (
    SELECT * FROM corrections
    QUALIFY row_number() OVER (PARTITION BY post_key ORDER BY corrected_at DESC) = 1
)
SELECT
    p.post_id, p.post_key, p.version, p.source, p.source_name, p.url, p.title, p.text,
    p.author, p.published, p.fetched, p.matched_terms,
    CASE WHEN k.post_key IS NULL THEN c.label ELSE k.label END AS label,
    CASE WHEN k.post_key IS NULL THEN c.subreason ELSE k.subreason END AS subreason,
    c.confidence, c.explanation, c.model_version, c.details,
    p.extra,
    c.label AS model_label,
    c.subreason AS model_subreason,
    k.post_key IS NOT NULL AS corrected
FROM latest_post p
LEFT JOIN latest_label c USING (post_id)
LEFT JOIN latest_correction k ON k.post_key = p.post_key;

-- Cases still needing someone, most urgent first. Times are UTC; due_local is school time.
CREATE VIEW v_open_cases AS
SELECT
    k.case_id, k.status, k.label, k.subreason, k.role, k.assignee, k.deputy, k.about_pupils,
    k.due, strftime(k.due AT TIME ZONE 'Europe/London', '%a %d %b %H:%M') AS due_local,
    k.due < now() AS overdue, k.escalated_at, k.received, k.acknowledged_at, k.acknowledged_by,
    p.title, p.url, p.source_name, k.post_key, k.post_id
FROM cases k
LEFT JOIN posts p USING (post_id)
WHERE k.status <> 'resolved'
ORDER BY k.due;

-- One row per week (Monday, school time): mentions found, cases, response-time compliance.
CREATE VIEW v_weekly AS
WITH first_seen AS (
    SELECT post_key, min(fetched) AS fetched FROM posts GROUP BY post_key
), m AS (
    SELECT date_trunc('week', f.fetched AT TIME ZONE 'Europe/London')::DATE AS week_start,
           count(*) AS mentions,
           count(*) FILTER (WHERE v.label = 'neutral') AS neutral,
           count(*) FILTER (WHERE v.label = 'inappropriate') AS inappropriate,
           count(*) FILTER (WHERE v.label = 'media_enquiry') AS media_enquiry,
           count(*) FILTER (WHERE v.corrected) AS corrected
    FROM v_mentions v JOIN first_seen f USING (post_key)
    GROUP BY 1
), c AS (
    SELECT date_trunc('week', created AT TIME ZONE 'Europe/London')::DATE AS week_start,
           count(*) AS cases_opened,
           count(*) FILTER (WHERE acknowledged_at IS NOT NULL) AS acknowledged,
           count(*) FILTER (WHERE acknowledged_at <= due) AS acknowledged_in_time,
           count(*) FILTER (WHERE escalated_at IS NOT NULL) AS escalated,
           count(*) FILTER (WHERE status = 'resolved') AS resolved,
           count(*) FILTER (WHERE status <> 'resolved') AS still_open
    FROM cases
    GROUP BY 1
)
SELECT
    week_start,
    coalesce(m.mentions, 0) AS mentions,
    coalesce(m.neutral, 0) AS neutral,
    coalesce(m.inappropriate, 0) AS inappropriate,
    coalesce(m.media_enquiry, 0) AS media_enquiry,
    coalesce(m.corrected, 0) AS corrected,
    coalesce(c.cases_opened, 0) AS cases_opened,
    coalesce(c.acknowledged, 0) AS acknowledged,
    coalesce(c.acknowledged_in_time, 0) AS acknowledged_in_time,
    coalesce(c.escalated, 0) AS escalated,
    coalesce(c.resolved, 0) AS resolved,
    coalesce(c.still_open, 0) AS still_open,
    round(c.acknowledged_in_time / nullif(c.cases_opened, 0), 3) AS in_time_rate
FROM m FULL OUTER JOIN c USING (week_start)
ORDER BY week_start DESC;
