-- 003: a lease per claimed outbox row. A delivery pass can take (messages x channel timeout), so
-- the time after which a row stuck 'sending' may be claimed again is computed for the batch that
-- claimed it (notify.outbox.lease_seconds) and stored here, instead of one fixed period for all.
ALTER TABLE outbox ADD COLUMN lease_until TIMESTAMPTZ;
-- Rows claimed before this migration keep the fixed lease they were claimed under (600 s).
UPDATE outbox SET lease_until = claimed_at + INTERVAL 600 SECOND WHERE status = 'sending';
