import type { Db } from './database';

export interface MappingTemplate {
  name: string;
  headerSignature: string;
  /** field -> header text */
  mapping: Record<string, string>;
}

export function findTemplateByName(db: Db, name: string): MappingTemplate | undefined {
  const row = db.prepare('SELECT name, header_signature, mapping FROM mapping_templates WHERE name = ?').get(name) as
    | { name: string; header_signature: string; mapping: string }
    | undefined;
  return row && { name: row.name, headerSignature: row.header_signature, mapping: JSON.parse(row.mapping) };
}

/** The most recently saved template for a header set, reused automatically for files laid out the same way. */
export function findTemplateBySignature(db: Db, signature: string): MappingTemplate | undefined {
  const row = db
    .prepare(
      'SELECT name, header_signature, mapping FROM mapping_templates WHERE header_signature = ? ORDER BY updated_at DESC, id DESC LIMIT 1',
    )
    .get(signature) as { name: string; header_signature: string; mapping: string } | undefined;
  return row && { name: row.name, headerSignature: row.header_signature, mapping: JSON.parse(row.mapping) };
}

export function saveTemplate(db: Db, template: MappingTemplate, actor: string, now: string): void {
  db.prepare(
    `INSERT INTO mapping_templates (name, header_signature, mapping, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET header_signature = excluded.header_signature, mapping = excluded.mapping, updated_at = excluded.updated_at`,
  ).run(template.name, template.headerSignature, JSON.stringify(template.mapping), actor, now, now);
}

export function listTemplates(db: Db): MappingTemplate[] {
  return (
    db.prepare('SELECT name, header_signature, mapping FROM mapping_templates ORDER BY name').all() as {
      name: string;
      header_signature: string;
      mapping: string;
    }[]
  ).map((row) => ({ name: row.name, headerSignature: row.header_signature, mapping: JSON.parse(row.mapping) }));
}
