-- The state of every request_uuid (one row per image), the bucket requests whose completion is announced, and the
-- answers remembered for Idempotency-Key. Portable SQL: the same file runs on H2 (embedded default) and PostgreSQL.
-- Times are epoch milliseconds (BIGINT): no time zone conversions between the databases and the JVM.

CREATE TABLE request_records (
    request_uuid        VARCHAR(36)   NOT NULL PRIMARY KEY,
    caller              VARCHAR(128)  NOT NULL,
    endpoint            VARCHAR(64)   NOT NULL,
    exam_request_uuid   VARCHAR(36),
    examination_id      VARCHAR(128),
    name                VARCHAR(2048) NOT NULL,
    provider            VARCHAR(32)   NOT NULL,
    bucket              VARCHAR(255),
    result_path         VARCHAR(2048),
    -- queued -> running -> completed | error | cancelled | expired
    state               VARCHAR(16)   NOT NULL,
    inference_attempts  INT           NOT NULL DEFAULT 0,
    -- pending -> delivered | dead_lettered
    webhook_state       VARCHAR(16)   NOT NULL,
    webhook_attempts    INT           NOT NULL DEFAULT 0,
    error               VARCHAR(2000),
    accepted_at         BIGINT        NOT NULL,
    deadline_at         BIGINT        NOT NULL,
    started_at          BIGINT,
    finished_at         BIGINT,
    delivered_at        BIGINT
);
CREATE INDEX request_records_by_examination ON request_records (caller, examination_id, request_uuid);
CREATE INDEX request_records_by_exam_request ON request_records (exam_request_uuid, state);
CREATE INDEX request_records_by_state ON request_records (state);
CREATE INDEX request_records_by_age ON request_records (accepted_at);

-- One row per bucket request of a folder: its inference.exam_completed envelope is sent once, decided here.
-- completion: open -> claimed (a gateway took it and queued the envelope, not yet confirmed) -> sent.
CREATE TABLE exam_requests (
    exam_request_uuid   VARCHAR(36)   NOT NULL PRIMARY KEY,
    caller              VARCHAR(128)  NOT NULL,
    examination_id      VARCHAR(128),
    webhook_url         VARCHAR(8192) NOT NULL,
    images              INT           NOT NULL,
    -- images whose envelope has not had its first webhook outcome yet (delivered or dead-lettered): 0 = complete
    remaining           INT           NOT NULL,
    completion          VARCHAR(16)   NOT NULL,
    accepted_at         BIGINT        NOT NULL,
    claimed_at          BIGINT,
    sent_at             BIGINT
);
CREATE INDEX exam_requests_by_completion ON exam_requests (completion, remaining, claimed_at);
CREATE INDEX exam_requests_by_age ON exam_requests (accepted_at);

-- Idempotency-Key: the caller-scoped key (its SHA-256), the digest of the request it was first used with, and the
-- answer given (null while that request is being accepted).
CREATE TABLE idempotency_keys (
    key_digest          VARCHAR(64)   NOT NULL PRIMARY KEY,
    request_digest      VARCHAR(64)   NOT NULL,
    answer              VARCHAR(10000000),
    created_at          BIGINT        NOT NULL
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
