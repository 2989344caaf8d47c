/** Every screenshot the guide shows, in the order they are taken. */
export const SHOTS = [
  'batches',
  'import-drop',
  'import-mapping',
  'import-done',
  'review-grid',
  'review-panel',
  'review-bulk',
  'review-declined',
  'sync-running',
  'sync-done',
  'history',
  'masters',
  'settings',
  'settings-store',
  'error-learn-more',
] as const;
export type Shot = (typeof SHOTS)[number];
