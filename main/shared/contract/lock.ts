import { z } from 'zod';

/** The idle lock: its state, how it may be unlocked, and its settings. */

export const UnlockMethod = z.enum(['passphrase', 'os', 'none']);
export type UnlockMethod = z.infer<typeof UnlockMethod>;

export const LockStatus = z.object({
  locked: z.boolean(),
  /** Lock after this many minutes without input; the lock is off when enabled is false. */
  enabled: z.boolean(),
  idleMinutes: z.number().int(),
  /** The idle time in milliseconds main applies (the minutes, or a shorter time under test): the renderer paces its activity signal by it. */
  idleMs: z.number().int(),
  /** How the lock can be opened now: the passphrase once one is set, the OS (Touch ID) where offered, else a plain button. */
  methods: z.array(UnlockMethod),
  passphraseSet: z.boolean(),
  /** Seconds until the next passphrase try is accepted (after five wrong ones); 0 when a try may be made now. */
  retryInS: z.number().int(),
});
export type LockStatus = z.infer<typeof LockStatus>;

/** A passphrase: 8 to 200 characters. Its own error code, so the settings screen can say what is wrong. */
export const Passphrase = z
  .string()
  .max(200)
  .superRefine((value, ctx) => {
    if ([...value].length < 8)
      ctx.addIssue({ code: 'custom', message: 'PASSPHRASE_TOO_SHORT', params: { appError: 'PASSPHRASE_TOO_SHORT', min: 8 } });
  });

export const UnlockInput = z.discriminatedUnion('method', [
  z.object({ method: z.literal('passphrase'), passphrase: z.string().min(1).max(200) }),
  z.object({ method: z.literal('os') }),
  z.object({ method: z.literal('none') }),
]);

export const LockSettingsInput = z.object({ enabled: z.boolean(), idleMinutes: z.number().int().min(1).max(240) });

/** Set (next) or remove (null) the passphrase; the current one is needed whenever one is set. */
export const PassphraseChange = z.object({ current: z.string().max(200).optional(), next: Passphrase.nullable() });
