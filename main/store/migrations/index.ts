import { createHash } from 'node:crypto';
import { m001_initial } from './001_initial';
import { m002_import } from './002_import';
import { m003_sync } from './003_sync';
import { m004_drop_redundant_index } from './004_drop_redundant_index';
import { m005_import_notes } from './005_import_notes';
import { m006_retention } from './006_retention';
import { m007_batch_statuses } from './007_batch_statuses';
import { m008_masters } from './008_masters';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Forward-only, numbered migrations. Never edit one that has shipped: the store records each
 * migration's hash and refuses to open when an applied migration no longer matches.
 */
export const migrations: readonly Migration[] = [
  m001_initial,
  m002_import,
  m003_sync,
  m004_drop_redundant_index,
  m005_import_notes,
  m006_retention,
  m007_batch_statuses,
  m008_masters,
];

export const LATEST_SCHEMA_VERSION = migrations.length;

export function migrationHash(migration: Migration): string {
  return createHash('sha256').update(`${migration.version}\n${migration.name}\n${migration.sql}`).digest('hex');
}
