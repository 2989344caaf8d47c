import { EventEmitter } from 'node:events';
import { appendAudit } from '../audit/log';
import type { LockStatus, UnlockMethod } from '../shared/contract';
import { AppError } from '../shared/errors';
import type { Db } from '../store/database';
import { readSetting, type SettingValue, writeSetting } from '../store/settings';
import { verifyPassphrase } from './passphrase';

/** Wrong passphrases allowed before each further try waits. */
export const FREE_TRIES = 5;
const FIRST_WAIT_S = 30;
const MAX_WAIT_S = 15 * 60;

/** Seconds to wait after this many consecutive wrong tries: none for the first four, then 30 s doubling up to 15 minutes. */
export function waitAfter(failures: number): number {
  return failures < FREE_TRIES ? 0 : Math.min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (failures - FREE_TRIES));
}

export const DEFAULT_IDLE_LOCK: SettingValue<'idleLock'> = { enabled: true, minutes: 10 };
const UNLOCKED: SettingValue<'lockState'> = { locked: false, failures: 0, retryAt: null };

export type LockReason = 'idle' | 'manual' | 'os';

/** The OS's own confirmation of the user (Touch ID on macOS), supplied by the Electron shell where it exists. */
export interface OsConfirm {
  available(): boolean;
  /** Resolves true once the OS confirmed the user; false when cancelled or failed. */
  confirm(): Promise<boolean>;
}

/**
 * The window's lock, held in main: the dispatcher refuses every data channel while it is locked (LOCKED), so a
 * locked window cannot fetch personal data whatever the renderer does. Main locks by itself after the idle
 * time without input (the renderer and the shell report input), when asked, or when the OS locks the screen.
 * The state is kept in the store, so quitting and starting again does not open a locked window.
 *
 * Without a passphrase and without an OS confirmation (Touch ID), unlocking is a button: the lock still hides
 * every value and refuses every data channel, but it is a privacy screen, not an access control. Staff are told
 * so on the lock screen and in Settings. (Letting the lock screen set a first passphrase would let whoever
 * passes by set one and lock the owner out.)
 */
export class AppLock extends EventEmitter<{ changed: [LockStatus] }> {
  private state: SettingValue<'lockState'>;
  private lastActivity: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private started = false;
  private checking = false;
  private idleOverrideMs: number | null;
  private readonly now: () => number;
  /** Set by the Electron shell on macOS with Touch ID. */
  osConfirm: OsConfirm | null = null;

  constructor(
    private readonly db: Db,
    private readonly actor: string,
    options: { idleMs?: number; now?: () => number } = {},
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.idleOverrideMs = options.idleMs ?? null;
    this.state = readSetting(db, 'lockState', UNLOCKED);
    this.lastActivity = this.now();
  }

  /** Starts watching for idleness (the desktop app; the command line never does). */
  start(): void {
    this.started = true;
    this.lastActivity = this.now();
    this.schedule();
  }

  stop(): void {
    this.started = false;
    this.clearTimer();
  }

  isLocked(): boolean {
    return this.state.locked;
  }

  /** Input seen (keyboard, mouse): postpones the idle lock. Does nothing while locked. */
  activity(): void {
    if (this.state.locked) return;
    this.lastActivity = this.now();
    if (!this.timer) this.schedule();
  }

  /** Replaces the idle time (a test's shortened one), or goes back to the setting's minutes with null. */
  setIdleMs(ms: number | null): void {
    this.idleOverrideMs = ms;
    this.lastActivity = this.now();
    this.schedule();
  }

  /** The settings changed: apply them at once. */
  settingsChanged(): void {
    this.schedule();
    this.emit('changed', this.status());
  }

  lock(reason: LockReason): LockStatus {
    if (!this.state.locked) {
      this.db.transaction(() => {
        this.persist({ ...this.state, locked: true });
        appendAudit(this.db, { actor: this.actor, action: 'lock', details: { reason } });
      })();
      this.clearTimer();
      this.emit('changed', this.status());
    }
    return this.status();
  }

  async unlock(method: UnlockMethod, passphrase?: string): Promise<LockStatus> {
    if (!this.state.locked) return this.status();
    if (!this.methods().includes(method)) throw new AppError('UNLOCK_NOT_OFFERED', {});
    const failures = this.state.failures;
    if (method === 'passphrase') await this.checkPassphrase(passphrase ?? '');
    else if (method === 'os' && !(await this.osConfirm?.confirm())) throw new AppError('UNLOCK_CANCELLED', {});
    if (!this.state.locked) return this.status();
    this.db.transaction(() => {
      this.persist(UNLOCKED);
      appendAudit(this.db, { actor: this.actor, action: 'unlock', details: { method, wrong_tries: failures } });
    })();
    this.lastActivity = this.now();
    this.schedule();
    this.emit('changed', this.status());
    return this.status();
  }

  /**
   * Checks the passphrase (unlocking, or changing it in Settings). Five wrong tries in a row make each further
   * try wait (30 s, doubling to 15 minutes); a try made too early is refused unchecked. Tries are counted in
   * the store, so restarting the app does not reset them; one check runs at a time.
   */
  async checkPassphrase(passphrase: string): Promise<void> {
    const stored = readSetting(this.db, 'lockPassphrase', null);
    if (!stored) throw new AppError('UNLOCK_NOT_OFFERED', {});
    const wait = this.retryInS();
    if (wait > 0 || this.checking) throw new AppError('UNLOCK_WAIT', { seconds: Math.max(wait, 1) });
    this.checking = true;
    try {
      if (await verifyPassphrase(passphrase, stored)) {
        if (this.state.failures > 0) this.persist({ ...this.state, failures: 0, retryAt: null });
        return;
      }
      const failures = this.state.failures + 1;
      const seconds = waitAfter(failures);
      this.persist({ ...this.state, failures, retryAt: seconds > 0 ? this.now() + seconds * 1000 : null });
      if (seconds > 0) throw new AppError('UNLOCK_WAIT', { seconds });
      throw new AppError('PASSPHRASE_WRONG', { left: FREE_TRIES - failures });
    } finally {
      this.checking = false;
    }
  }

  /** How the lock opens now: the passphrase once set, Touch ID where offered, else a button. */
  methods(): UnlockMethod[] {
    const methods: UnlockMethod[] = [];
    if (readSetting(this.db, 'lockPassphrase', null)) methods.push('passphrase');
    if (this.osConfirm?.available()) methods.push('os');
    return methods.length ? methods : ['none'];
  }

  status(): LockStatus {
    const settings = readSetting(this.db, 'idleLock', DEFAULT_IDLE_LOCK);
    return {
      locked: this.state.locked,
      enabled: settings.enabled,
      idleMinutes: settings.minutes,
      idleMs: this.idleMs(),
      methods: this.methods(),
      passphraseSet: readSetting(this.db, 'lockPassphrase', null) !== null,
      retryInS: this.retryInS(),
    };
  }

  private retryInS(): number {
    const at = this.state.retryAt;
    return at === null ? 0 : Math.max(0, Math.ceil((at - this.now()) / 1000));
  }

  private idleMs(): number {
    return this.idleOverrideMs ?? readSetting(this.db, 'idleLock', DEFAULT_IDLE_LOCK).minutes * 60_000;
  }

  private persist(state: SettingValue<'lockState'>): void {
    writeSetting(this.db, 'lockState', state);
    this.state = state;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One timer at the moment the idle time would run out; input meanwhile moves that moment, checked when it fires. */
  private schedule(): void {
    this.clearTimer();
    if (!this.started || this.state.locked || !readSetting(this.db, 'idleLock', DEFAULT_IDLE_LOCK).enabled) return;
    const due = this.lastActivity + this.idleMs() - this.now();
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (this.state.locked) return;
        if (this.now() - this.lastActivity >= this.idleMs()) this.lock('idle');
        else this.schedule();
      },
      Math.max(0, due),
    );
    // The timer alone never keeps a process alive (tests, a CLI that built a context).
    this.timer.unref?.();
  }
}
