import type { Migration } from './index';

/**
 * A batch is 'staged' or 'ready' (marked for unattended sync); 'syncing', 'synced' and 'archived' were
 * declared in 001 and never written (sync progress lives per order in sync_state). From here the store
 * refuses them. The CHECK of 001 still names them: narrowing it would mean rebuilding `batches`, and
 * dropping the old table would cascade to every order (orders.batch_id ON DELETE CASCADE). Triggers say it
 * instead. A row holding one of them (no code ever wrote one) goes back to 'staged'.
 */
export const m007_batch_statuses: Migration = {
  version: 7,
  name: 'batch_statuses',
  sql: `
UPDATE batches SET status = 'staged' WHERE status NOT IN ('staged', 'ready');
CREATE TRIGGER batches_status_insert BEFORE INSERT ON batches
  WHEN NEW.status NOT IN ('staged', 'ready')
  BEGIN SELECT RAISE(ABORT, 'batch status must be staged or ready'); END;
CREATE TRIGGER batches_status_update BEFORE UPDATE OF status ON batches
  WHEN NEW.status NOT IN ('staged', 'ready')
  BEGIN SELECT RAISE(ABORT, 'batch status must be staged or ready'); END;
`,
};
