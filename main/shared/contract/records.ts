import { z } from 'zod';

/** History and audit: audit rows as the history screen lists them, and the chain check. */

export const AuditRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  backendIdentity: z.string().nullable(),
  action: z.string(),
  batchId: z.number().int().nullable(),
  orderRef: z.string().nullable(),
  details: z.string(),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const AuditCheck = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  firstBroken: z.object({ seq: z.number().int(), reason: z.enum(['hash_mismatch', 'broken_link', 'sequence_gap']) }).nullable(),
  headHash: z.string(),
  /** Everything found wrong (chain, triggers, missing entries), as error codes the renderer translates. */
  problems: z.array(z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })),
});
