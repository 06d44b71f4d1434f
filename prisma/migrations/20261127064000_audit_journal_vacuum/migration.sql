-- The journal is a queue: every filing inserts a row and the chainer deletes it milliseconds later,
-- so it holds almost nothing live and a dead row per filing. With the default thresholds (20% of
-- a nearly empty table) autovacuum would wait far too long between passes; vacuum it after every
-- thousand dead rows instead. (Autovacuum must be on, as it is by default.)
ALTER TABLE "audit_journal" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);
