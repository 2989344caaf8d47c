import type { Migration } from './index';

export const m003_sync: Migration = {
  version: 3,
  name: 'sync',
  sql: `
-- When the current call of an order was sent (epoch ms): an unknown outcome settles one timeout later.
ALTER TABLE sync_state ADD COLUMN in_flight_since INTEGER;
-- Facts for staff on a failed or needs-review order (codes, statuses, ids: never personal data).
ALTER TABLE sync_state ADD COLUMN detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail));

CREATE TABLE sync_runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT    NOT NULL,
  finished_at TEXT,
  started_by  TEXT    NOT NULL,
  batch_ids   TEXT    NOT NULL CHECK (json_valid(batch_ids)),
  outcome     TEXT    CHECK (outcome IS NULL OR outcome IN ('finished', 'cancelled', 'failed')),
  summary     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(summary))
) STRICT;

-- At most one sync run per store at a time, across processes (desktop app and command line).
CREATE TABLE sync_lock (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  run_id     INTEGER NOT NULL,
  pid        INTEGER NOT NULL,
  host       TEXT    NOT NULL,
  heartbeat  INTEGER NOT NULL
) STRICT;
`,
};
