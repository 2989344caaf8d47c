import { setTimeout as sleep } from 'node:timers/promises';

/** The window's budget as the backend tells it (RateLimit-* headers, IETF httpapi draft). */
export interface RateLimitBudget {
  limit: number | null;
  remaining: number;
  resetS: number;
}

/** Lateness samples kept for the safety margin (the most recent waits). */
const MARGIN_SAMPLES = 50;
/** Grant-to-write delays kept for granting ahead (the most recent calls), and grants awaiting their write. */
const WRITE_DELAY_SAMPLES = 50;
const MAX_UNWRITTEN = 64;
/** The most a call is granted ahead: delays measured under a load that has since gone never move a write earlier. */
const MAX_AHEAD_MS = 2;
const MIN_MARGIN_MS = 15;
const MAX_MARGIN_MS = 150;
/** What a 429 adds to the margin (arrivals bunched more than measured), at most MAX_LEARNED_MS; it decays on success. */
const LEARN_MS = 15;
const MAX_LEARNED_MS = 60;
/** Answer times kept, and the most a slow answer moves its call's time for the guard. */
const RTT_SAMPLES = 50;
const MAX_SHIFT_MS = 500;
const WARM_UP_ANSWERS = 3;
/** The longest a call waits for its answer (the services' longest timeout). */
const AWAITED_MS = 30_000;
/** The answers to calls sent before a cut repeat the same news: no second cut within this time. */
const CUT_HOLD_MS = 400;
/**
 * Without RateLimit headers, a client probes for one more call per window after PROBE_MS x the cube of its share of
 * the limit, times 1-2 at random: 2.6-5.3 s at 2 of 10, 9-18 s at 3, 20-40 s from 4 (at most MAX_PROBE_MS x 1-2).
 * Such a probe takes a slot from another client when the window is full (throttled()), so the smaller shares take slots
 * from the larger ones and the shares even out; a client above the others' mean (aboveOthers()) probes without
 * taking...
 */
export const PROBE_MS = 330_000;
const MAX_PROBE_MS = 20_000;
const MIN_PROBE_MS = 1000;
/**
 * ...and whatever its share, after LIGHT_PROBE_MS x 1-2 without a change it probes lightly: refused, it gives the
 * call up again (the others may have finished: someone has to look)...
 */
export const LIGHT_PROBE_MS = 5000;
/**
 * ...and after a quiet probe (no 429: room, the others may have finished), the next comes after this x 1-2; from the
 * third on, each asks for twice as many more calls as the last (1, 1, 2, 4...): a client left alone is back at the
 * whole limit within seconds, and one that found a single free call seldom asks for two at once.
 */
export const QUIET_PROBE_MS = 3000;
/**
 * A probe's refused call is sent again this long after the window's oldest call leaves it (Retry-After-Ms), before
 * that call's owner sends its next one (it waits its margin, 20 ms or more).
 */
export const STEAL_AFTER_MS = 3;
/** A client that had to wait for its quota this recently is using it in full (only then does it probe for more). */
const BOUND_MS = 2000;
/** Headers seen this recently steer the quota; probing by timer stands aside. */
const HEADERS_FRESH_MS = 2000;
/**
 * With RateLimit headers, the extra call of a limit that does not divide evenly (10 = 4 + 3 + 3) goes round the
 * clients: whoever holds it (its quota above the others' mean) gives it back after HOLD_MS x 0.8-1.2, and after
 * AMBIGUOUS_HOLD x that when the others' calls could be one client's as well as two (5 against 5, or 3 + 2). The
 * room it leaves is taken by one of the others below the mean (a client above it leaves a single free call alone):
 * a client that gave a call back does not take a single free call again for COOL_DOWN x HOLD_MS, so with three
 * clients the extra call goes round in turn...
 */
export const HOLD_MS = 4000;
export const AMBIGUOUS_HOLD = 2;
const COOL_DOWN = 2.5;
/**
 * ...unless no one took it: no answer saw the window full from GIVEN_BACK_MS after the give-back (its own calls sent
 * before it have left the window by then) to RETAKE_MS after it. Then it takes the call back and holds it twice as
 * long before the next give-back (up to 2^MAX_HOLD_DOUBLINGS times; back to once when another client takes one):
 * two clients at 5 + 5 cannot tell each other from two smaller ones, and a call given back that no one takes is lost.
 */
export const RETAKE_MS = 3000;
const GIVEN_BACK_MS = 1000;
const MAX_HOLD_DOUBLINGS = 3;
/**
 * Without headers, a 429 that is not the client's own share-timed probe goes to the owner of the window's next
 * slot, whoever that is. A client that is not above the others' mean passes it on rather than giving a call up (its
 * own refused light probe too): it takes the window's oldest slot as that leaves (Retry-After-Ms), and that slot's
 * owner gets the 429 in turn, at most once per PASS_GAP_MS for each client. So a call taken by a probe mostly comes
 * from a client above the mean.
 */
export const PASS_GAP_MS = 3000;
/** Room seen in every answer of the last ROOM_SEEN_MS is taken after a random delay of up to this times the client's share. */
const RAISE_DELAY_MS = 3300;
const ROOM_SEEN_MS = 400;
/** No other client's call in the window on any answer of this long (three at least): the client is alone. */
const ALONE_SEEN_MS = 1000;
/** Shortest time between two changes of the quota from headers. */
const HEADER_HOLD_MS = 1500;

/** The handle of a granted call (its grant time), passed to dispatched() and then written(). */
export type Grant = number;

/**
 * Client-side rate limit for one service, as a whole number of calls per window (the quota):
 * - pacing: calls spaced (1000 + margin) / quota ms apart, each scheduled from when the previous one really
 *   went, never from a missed slot: a timer that fires late (an event-loop stall) never causes a catch-up burst;
 * - a hard guard: at most `quota` calls in any window of 1000 + margin ms of the times the calls really went out
 *   (the write to the socket when the transport reports it, written.ts, else the dispatch; granted ahead by the
 *   smallest recent grant-to-write delay, at most 2 ms, so the write lands on time: aheadMs), so arrivals jittered
 *   by up to the margin never put more than the quota in one second at the backend. Quotas are whole numbers:
 *   clients sharing a sliding window whose quotas add up to the limit never overfill it, whatever their phases
 *   (rates of 3.3 per second each could put 4 + 4 + 4 in one second);
 * - the margin: 1.5 x the 90th percentile of how late the recent timers fired and calls went out (the machine's
 *   CPU contention, which delays arrivals the same way) when the transport does not report its writes; never
 *   below `jitterMs` (20 ms by default; 50 ms for the built-in simulator, which shares the app's event loop); plus
 *   what recent 429s taught. An answer slower than nine in ten recent ones moves its call later for the guard
 *   (answered()): a request held on the way in is counted late by the backend;
 * - sharing a limit (several desktops) without headers: a 429 while the client was not using the whole limit
 *   alone takes one call off its quota (down to what it got accepted in the window when far over, which only a
 *   client above half the limit can be: clients starting together), at most once per CUT_HOLD_MS; a client not
 *   above the others' mean passes it on instead (PASS_GAP_MS), so the call comes off a larger share. While it uses
 *   its quota in full it probes for one more call: after PROBE_MS x the cube of its share (the smallest shares far
 *   sooner), or LIGHT_PROBE_MS whatever the share, or QUIET_PROBE_MS after a probe that drew no 429 (room: the
 *   others may have finished; from the third such probe it asks for twice as many more as the last). The probe's
 *   extra call goes right after a regular one. Refused (the window full: the others reuse their own slots), a
 *   share-timed probe of a client not above the mean takes a slot: Retry-After-Ms says when the window's oldest
 *   call leaves it, and the call is sent again STEAL_AFTER_MS after that, before the slot's owner sends again (it
 *   waits its margin); the owner gets the 429 and gives a call up (or passes it on). A light probe refused gives
 *   its call up (or, like any 429, passes it on). The extra call of 10 = 4 + 3 + 3 goes round: its holder (above
 *   the others' mean, the window full) gives it back after HOLD_MS and leaves the room to the others' probes
 *   (givesBack()). A client down to one call per window takes a slot on every 429 (a
 *   joiner would otherwise wait for ever). A refused call is not counted by the guard (the backend did not count
 *   it). A 429 while using the whole limit alone says the client's own arrivals bunched: the margin widens by
 *   15 ms (decaying as calls succeed; at most 60 ms, then the quota is cut and probed back soon). Any other 429
 *   pauses it for Retry-After(-Ms) plus up to one spacing at random;
 * - RateLimit-* headers, when the backend sends them, steer the quota before any 429: an announced limit below
 *   the configured one caps it; it never exceeds the room the others leave in the window; it grows when every
 *   recent answer saw room left, after a random delay (so two clients seldom take the same room), and to the
 *   whole limit when no other client's call was in the window for a second (the others finished); and the
 *   client holding the extra call of a limit that does not divide evenly gives it back after a few seconds
 *   (HOLD_MS), so the extra call goes round the clients and they finish together; a single free call is left to
 *   the clients below the others' mean, and one given back that no one takes is taken back (RETAKE_MS), the next
 *   hold twice as long (two clients at 5 + 5 would otherwise pass it to no one). A client down to one call per
 *   window takes a slot on a 429 here too, and a refused call is not counted: a client that had the limit to
 *   itself sees no one until a joiner's call gets into the window.
 */
export class RateLimiter {
  private next = Number.NEGATIVE_INFINITY;
  /** The calls of the last window: when each really went, and how long its answer took once it came. */
  private readonly sent: { at: number; rtt: number | null }[] = [];
  /** When the most recent calls really went (diagnostics and tests). */
  readonly history: number[] = [];
  private quota: number;
  private pausedUntil = 0;
  private readonly lateness: number[] = [];
  private learned = 0;
  /** The limit the backend announced (RateLimit-Limit), when lower than the configured one. */
  private announced: number | null = null;
  /** When the quota last changed, and when the next probe for more is due (no headers). */
  private changedAt: number;
  private probeDelay: number;
  /** Probes since the last cut or taken slot (then the next one comes sooner). */
  private quietProbes = 0;
  /** A probe is due: its extra call goes right after the next regular one (take()). */
  private probePending = false;
  /** Whether that probe takes a slot when refused (else it gives the call up again), and when its call went. */
  private probeTakes = false;
  private probedAt = Number.NEGATIVE_INFINITY;
  private tookSlot = false;
  /** When a light probe is due (from the last change of the quota). */
  private lightDelay: number | null = null;
  private cutAt = Number.NEGATIVE_INFINITY;
  /** When the transport last reported a write (then the guard's times are the real ones). */
  private writesReportedAt = Number.NEGATIVE_INFINITY;
  /** The grant of each dispatched call not yet written (by its dispatch time), and recent grant-to-write delays. */
  private readonly unwritten = new Map<Grant, Grant>();
  private readonly writeDelays: number[] = [];
  /** How long recent calls took from going out to their answer. */
  private readonly rtts: number[] = [];
  /** Their 90th percentile once three are known (set as answers come, read on every wait()). */
  private usualRtt: number | null = null;
  private answers = 0;
  /** When recent 429s came (the last window's): what was refused of the calls sent in it. */
  private readonly refusedAt: number[] = [];
  /** When a call last had to wait for the quota (the client uses it in full). */
  private boundAt = Number.NEGATIVE_INFINITY;
  /** When RateLimit headers were last seen: then they steer the quota, not the timer. */
  private observedAt = Number.NEGATIVE_INFINITY;
  /** Remaining on recent answers (headers), with when each came: room seen in every recent one means room. */
  private readonly room: { at: number; remaining: number }[] = [];
  /** The others' calls in the window when each recent answered call arrived (headers). */
  private readonly othersSeen: { at: number; others: number }[] = [];
  private raiseAt: number | null = null;
  /**
   * Since when its quota has been above the others' mean (without headers: while using it in full), and how long it
   * keeps the extra call.
   */
  private aboveSince: number | null = null;
  private holdMs = HOLD_MS;
  /** When it last gave a call back (headers). */
  private gaveBackAt = Number.NEGATIVE_INFINITY;
  /** When an answer last saw the window full (headers): whether another client took the call given back. */
  private fullSeenAt = Number.NEGATIVE_INFINITY;
  /** Calls given back and taken back in a row, no one else taking them (headers): each doubles the next hold. */
  private untakenGiveBacks = 0;
  /** When it last passed a 429 on (no headers). */
  private passedAt = Number.NEGATIVE_INFINITY;
  /** A taken or passed slot's call is due (the next granted), and when it went: refused, the take failed. */
  private retryDue = false;
  private retryAt = Number.NEGATIVE_INFINITY;
  /** When the window was last seen full without headers (a refused probe): a probe that went after that found room. */
  private fullAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ratePerSecond: number | null,
    private readonly jitterMs = 20,
    private readonly now: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {
    this.quota = Math.max(1, Math.floor(ratePerSecond ?? 1));
    this.changedAt = this.now();
    this.probeDelay = this.nextProbeDelay();
  }

  private get limit(): number | null {
    if (this.ratePerSecond === null) return null;
    return this.announced === null ? this.ratePerSecond : Math.min(this.ratePerSecond, this.announced);
  }

  /** The most calls one window may hold: the limit, whole (at least one). */
  private get fullQuota(): number {
    return Math.max(1, Math.floor(this.limit ?? Number.POSITIVE_INFINITY));
  }

  /** Calls allowed in one window now. */
  private get allowed(): number {
    return Math.max(1, Math.min(this.quota, this.fullQuota));
  }

  /**
   * The backend runs in this process (the built-in simulator): a call written on time still waits for this event
   * loop before the backend counts it, so the measured lateness stays in the margin.
   */
  backendInProcess = false;

  /**
   * The safety margin in ms: measured lateness, never below the configured jitter allowance. A transport that
   * reports its writes leaves only the way to the backend to cover (the configured allowance), unless the backend
   * shares this event loop.
   */
  get marginMs(): number {
    let measured = this.jitterMs;
    if (this.lateness.length >= 8 && !this.writesKnown) {
      const sorted = [...this.lateness].sort((x, y) => x - y);
      measured = 1.5 * (sorted[Math.floor(sorted.length * 0.9)] ?? 0);
    }
    return Math.min(MAX_MARGIN_MS, Math.max(MIN_MARGIN_MS, this.jitterMs, measured) + this.learned);
  }

  /** The transport reports its writes (lately) and the backend does not share this event loop. */
  private get writesKnown(): boolean {
    return this.now() - this.writesReportedAt <= 10_000 && !this.backendInProcess;
  }

  /**
   * How far ahead of the guard a call is granted: the smallest of the recent delays from a grant to its write
   * (about a millisecond here: the order marked in flight, the request built), at most MAX_AHEAD_MS. The write,
   * which the guard counts, then lands when the window allows it, not that delay later, which would be carried from
   * each call to the one a window on. The smallest delay keeps every window's writes 1000 + margin ms apart; a write
   * faster than every recent one (the load that slowed them gone) lands early by the difference, at most 2 ms of
   * the margin. Nothing before five writes are known, nor when writes are not reported (the guard counts dispatches
   * then) or the backend shares this event loop (it counts a call later than its write).
   */
  private get aheadMs(): number {
    return this.writesKnown && this.writeDelays.length >= 5 ? Math.min(MAX_AHEAD_MS, ...this.writeDelays) : 0;
  }

  /** Where its quota stands against the others' mean when they hold the rest of the window (no headers). */
  private get positionInFullWindow(): 'above' | 'ambiguous' | null {
    const limit = this.limit ?? this.quota;
    return aboveOthers(this.quota, limit - this.quota);
  }

  /** Calls per second it currently allows (null: unlimited). */
  get currentRate(): number | null {
    return this.limit === null ? null : (this.allowed * 1000) / (1000 + this.marginMs);
  }

  /** The share of the limit it currently allows (1 = the whole limit): for tests and diagnostics. */
  get rateFactor(): number {
    const limit = this.limit;
    return limit === null ? 1 : this.allowed / limit;
  }

  /** Milliseconds until a call may go (0 = now). */
  wait(): number {
    const t = this.now();
    if (t < this.pausedUntil) return this.pausedUntil - t;
    if (this.limit === null) return 0;
    const windowMs = 1000 + this.marginMs;
    this.expire(t, windowMs);
    const allowed = this.allowed;
    const counted = this.countedTimes();
    const guard = counted.length >= allowed ? (counted[counted.length - allowed] ?? t) + windowMs - this.aheadMs - t : 0;
    const ms = Math.max(0, guard, this.next - t);
    if (ms > 0) this.boundAt = t;
    return ms;
  }

  private expire(t: number, windowMs: number): void {
    // Kept while a slow answer could still move it into the window, and while a call sent less than a second after
    // it still awaits its answer (observe() counts the calls of the second before the answered one).
    const waiting = this.sent.find((c) => c.rtt === null && c.at > t - AWAITED_MS);
    const keepFrom = Math.min(t - windowMs - MAX_SHIFT_MS, waiting === undefined ? Number.POSITIVE_INFINITY : waiting.at - 1000);
    while (this.sent.length && (this.sent[0]?.at ?? 0) <= keepFrom) this.sent.shift();
  }

  /** Waits for the call's turn; resolves with its grant, to be passed to dispatched(). */
  async take(signal?: AbortSignal): Promise<Grant> {
    for (;;) {
      const ms = this.wait();
      if (ms <= 0) break;
      const planned = this.now() + ms;
      await sleep(Math.ceil(ms), undefined, { signal });
      this.sample(this.now() - planned);
    }
    const t = this.now();
    const rate = this.currentRate;
    if (rate === null) return t;
    this.sent.push({ at: t, rtt: null });
    this.history.push(t);
    if (this.retryDue) {
      this.retryDue = false;
      this.retryAt = t;
    }
    if (this.history.length > 10_000) this.history.splice(0, this.history.length - 10_000);
    // From now, not from the missed slot: a late grant makes up at most half a spacing (a few ms of timer
    // lateness are not lost on every call), never a burst; the guard still holds any window to the quota.
    const interval = 1000 / rate;
    const late = Number.isFinite(this.next) ? Math.max(0, t - this.next) : 0;
    this.next = t + interval - Math.min(late, interval / 2);
    if (this.probePending) {
      // The probe's extra call goes right after this regular one, which reused a slot of this client's own: the
      // window's oldest call is then seldom its own, and a 429 on the extra call points at another client's slot.
      this.probePending = false;
      // One more call; from the third quiet probe in a row, twice as many as the last (a client left alone).
      this.setQuota(this.quota + 2 ** Math.max(0, this.quietProbes - 2), t);
      this.probedAt = t;
      this.tookSlot = false;
      this.next = t + 1;
    }
    return t;
  }

  /** The granted call is handed to the transport now: its send time becomes now, and its delay is measured. */
  dispatched(granted: Grant): Grant {
    if (this.limit === null) return granted;
    const t = this.now();
    this.sample(t - granted);
    this.moveSend(granted, t);
    this.unwritten.set(t, granted);
    // A transport that does not report its writes leaves none to wait for.
    for (const key of this.unwritten.keys()) {
      if (this.unwritten.size <= MAX_UNWRITTEN) break;
      this.unwritten.delete(key);
    }
    return t;
  }

  /** The transport wrote the call to the socket at `at` (after dispatched()): the guard counts it from then. */
  written(dispatched: Grant, at: number): void {
    if (this.limit === null) return;
    this.writesReportedAt = at;
    this.moveSend(dispatched, at);
    const granted = this.unwritten.get(dispatched);
    this.unwritten.delete(dispatched);
    if (granted === undefined) return;
    this.writeDelays.push(Math.max(0, at - granted));
    if (this.writeDelays.length > WRITE_DELAY_SAMPLES) this.writeDelays.shift();
  }

  /**
   * The call that went at `sentAt` (its dispatch or write time) was answered now. An answer slower than nine in
   * ten recent ones may have been slow on the way in (a backend or network that held the request before its rate
   * limit counted it): the guard counts the call that much later, at most MAX_SHIFT_MS. Judged when the guard
   * looks, against the answers known then: the first calls of a run are judged too, once a few others came back.
   */
  answered(sentAt: number): void {
    if (this.limit === null) return;
    const rtt = this.now() - sentAt;
    const call = this.sent.findLast((c) => c.at === sentAt);
    if (call) call.rtt = rtt;
    // The first answers of a run are slow (new connections, code run for the first time on both sides): judged
    // against the later ones, never the measure of what is usual.
    this.answers += 1;
    if (this.answers <= WARM_UP_ANSWERS) return;
    this.rtts.push(rtt);
    if (this.rtts.length > RTT_SAMPLES) this.rtts.shift();
    if (this.rtts.length >= 3) this.usualRtt = [...this.rtts].sort((x, y) => x - y)[Math.floor(this.rtts.length * 0.9)] ?? null;
  }

  /** When the backend may have counted each recent call (sent time plus what a slow answer says), in order. */
  private countedTimes(): number[] {
    const usual = this.usualRtt;
    return this.sent
      .map((call) => call.at + (usual === null || call.rtt === null ? 0 : Math.min(MAX_SHIFT_MS, Math.max(0, call.rtt - usual))))
      .sort((x, y) => x - y);
  }

  /** Moves a call's time for the guard, and in the history (the call really went then). */
  private moveSend(from: number, to: number): void {
    const call = this.sent.findLast((c) => c.at === from);
    if (call) call.at = to;
    this.sent.sort((x, y) => x.at - y.at);
    if (this.retryAt === from) this.retryAt = to;
    const logged = this.history.lastIndexOf(from);
    if (logged >= 0) this.history[logged] = to;
  }

  private sample(lateMs: number): void {
    this.lateness.push(Math.max(0, lateMs));
    if (this.lateness.length > MARGIN_SAMPLES) this.lateness.shift();
  }

  /** Calls this client sent in the last window (its own share of what the backend counts). */
  private ownInWindow(t: number, slackMs = 0): number {
    const windowMs = 1000 + this.marginMs + slackMs;
    return this.sent.filter((call) => call.at > t - windowMs).length;
  }

  private setQuota(quota: number, t: number): void {
    if (quota < this.quota) this.aboveSince = null;
    this.quota = Math.max(1, Math.min(this.fullQuota, quota));
    this.changedAt = t;
    this.probeDelay = this.nextProbeDelay();
    this.raiseAt = null;
    this.probePending = false;
    this.lightDelay = null;
  }

  /** PROBE_MS x the cube of the share (at most MAX_PROBE_MS) x 1-2, at least MIN_PROBE_MS; QUIET_PROBE_MS x 1-2 after a quiet probe. */
  private nextProbeDelay(): number {
    if (this.quietProbes > 0) return QUIET_PROBE_MS * (1 + this.random());
    const share = this.quota / (this.limit ?? this.quota);
    return Math.max(MIN_PROBE_MS, Math.min(MAX_PROBE_MS, PROBE_MS * share ** 3) * (1 + this.random()));
  }

  /**
   * A 429 to the call that went at `sentAt` (its write or dispatch time, when known). A share-timed probe's call
   * (once per probe) and the call of a client down to one call per window take the window's oldest slot: sent
   * again just after it leaves (`sentAt` + Retry-After-Ms), the quota kept; without headers, a client not above
   * the others' mean passes any other 429 on the same way (at most once per PASS_GAP_MS). While this client was using its whole
   * limit alone, its own arrivals bunched (jitter beyond the margin): the margin widens and the quota stays, up to
   * MAX_LEARNED_MS; beyond that the quota loses one call and is probed back soon. Otherwise others share the
   * limit: one call less, or down to the calls it got accepted in the window if that is fewer (far over, as when
   * clients start together); at most once per CUT_HOLD_MS.
   */
  throttled(retryAfterMs: number, sentAt?: number): void {
    const t = this.now();
    const limit = this.limit;
    if (limit === null) return;
    const headersFresh = t - this.observedAt < HEADERS_FRESH_MS;
    // A refused call: someone new may want a share (a client joining), so the holds are back to once.
    this.untakenGiveBacks = 0;
    // The backend did not count the refused call: neither does the guard.
    const refused = sentAt === undefined ? -1 : this.sent.findLastIndex((c) => c.at === sentAt);
    if (refused >= 0) this.sent.splice(refused, 1);
    const own = this.ownInWindow(t);
    // Taking a slot: the refused call is sent again just as the window's oldest call leaves it, before its owner
    // sends again; the owner gets the 429 and gives a call up. Done once by a probe that may take one, and by a
    // client down to one call per window that others leave no room (else it could wait for ever).
    // A refused probe: the window is full (givesBack()).
    const probeRefused = t - this.probedAt <= 2 * (1000 + this.marginMs);
    if (probeRefused) this.fullAt = t;
    const taking = this.probeTakes && !this.tookSlot && probeRefused;
    const starving = this.quota <= 1 && own < limit - 1;
    // Passing a 429 on (PASS_GAP_MS): not above the others' mean, and not to the call of a slot it took or passed
    // (then the slot was taken first). Only when Retry-After-Ms times the slot (Retry-After in whole seconds would
    // pause it a second), the quota in use (not paused), and not near the whole limit (then it is alone or far over,
    // as when clients start together).
    const position = this.positionInFullWindow;
    const passing =
      position === null &&
      sentAt !== this.retryAt &&
      retryAfterMs < 1000 &&
      !headersFresh &&
      t - this.passedAt >= PASS_GAP_MS &&
      this.quota < limit - 1 &&
      own >= this.quota - 1;
    const oldestLeaves = sentAt === undefined ? 0 : sentAt + retryAfterMs + STEAL_AFTER_MS;
    if (sentAt !== undefined && ((taking && !headersFresh) || starving || passing) && oldestLeaves > t) {
      if (!taking && !starving) this.passedAt = t;
      this.retryDue = true;
      this.tookSlot = true;
      this.quietProbes = 0;
      this.probeDelay = this.nextProbeDelay();
      this.refusedAt.push(t);
      this.pausedUntil = Math.max(this.pausedUntil, oldestLeaves);
      this.next = Math.min(this.next, this.pausedUntil);
      return;
    }
    const solo = own >= limit - 1;
    if (solo && this.learned + LEARN_MS <= MAX_LEARNED_MS) this.learned += LEARN_MS;
    else if (t - this.cutAt >= CUT_HOLD_MS) {
      // Down by one, or to what it got accepted in the window when far over (clients starting together).
      while (this.refusedAt.length && (this.refusedAt[0] ?? 0) <= t - 1000 - this.marginMs) this.refusedAt.shift();
      const accepted = refused >= 0 ? own : own - this.refusedAt.length;
      this.quietProbes = 0;
      this.cutAt = t;
      // Far over only with more than half the limit (a smaller quota with few calls in the window was paused).
      const far = !solo && this.quota > limit / 2;
      this.setQuota(far ? Math.min(this.quota - 1, Math.max(1, accepted)) : this.quota - 1, t);
      if (solo) this.probeDelay = MIN_PROBE_MS * 2;
    }
    this.refusedAt.push(t);
    // Plus up to one spacing at random: clients refused together do not all come back at the same moment (which
    // would lock their phases, and the 429s on whoever comes last).
    this.pausedUntil = Math.max(this.pausedUntil, t + retryAfterMs + this.random() * (1000 / (this.currentRate ?? 1)));
    this.next = Math.max(this.next, this.pausedUntil);
  }

  /**
   * The backend's RateLimit-* headers on the answer to the call that went at `sentAt` (Remaining as that call
   * arrived): an announced limit below the configured one caps the quota; the quota never exceeds the room the
   * others leave; it grows when every answer of the last ROOM_SEEN_MS saw room (after a random delay, checked
   * again then), and to the whole limit when no answer of the last second saw another client's call in the
   * window; the client holding the extra call of an uneven split gives it back after holding it a while, and
   * takes it back when no one else did (RETAKE_MS); a single free call is not for a client above the others' mean.
   */
  observe(budget: RateLimitBudget, sentAt?: number): void {
    if (budget.limit !== null && budget.limit > 0) this.announced = budget.limit;
    const limit = this.limit;
    if (limit === null) return;
    const t = this.now();
    this.observedAt = t;
    this.room.push({ at: t, remaining: budget.remaining });
    if (budget.remaining <= 0) this.fullSeenAt = t;
    while (this.room.length && (this.room[0]?.at ?? 0) <= t - ROOM_SEEN_MS) this.room.shift();
    // The window counted when the call arrived, a moment ago: its own calls in it are those sent in the second
    // before that call (when its send time is known), else those of the last window with some slack.
    const own = sentAt === undefined ? this.ownInWindow(t, 200) : this.sent.filter((c) => c.at > sentAt - 1000 && c.at <= sentAt).length;
    // Remaining counts against the backend's own limit, which may be above the one configured here.
    const windowLimit = budget.limit !== null && budget.limit > 0 ? budget.limit : limit;
    const others = windowLimit - budget.remaining - own;
    this.othersSeen.push({ at: t, others });
    while (this.othersSeen.length && (this.othersSeen[0]?.at ?? 0) <= t - ALONE_SEEN_MS) this.othersSeen.shift();
    // Others' calls in the window cap the quota; after a second with none, only when the next answer sees them too:
    // one answer alone may count one of its own calls as another's (a call written late, or held on the way,
    // arrives in a window it left by its send time), and a desktop alone would cut itself for nothing.
    const alone = (seen: { others: number }[]) => sentAt !== undefined && seen.length >= 3 && seen.every((o) => o.others <= 0);
    if (!alone(this.othersSeen.slice(0, -1)) && others >= 1 && this.quota > windowLimit - others) this.setQuota(windowLimit - others, t);
    const bound = t - this.boundAt <= BOUND_MS;
    if (this.quota < this.fullQuota && bound && alone(this.othersSeen)) {
      this.setQuota(this.fullQuota, t);
      return;
    }
    if (t - this.changedAt < HEADER_HOLD_MS) return;
    // Above the others' mean (the most they held in the last second), it holds the extra call; above the mean of
    // two others only (ambiguous), it holds it AMBIGUOUS_HOLD times longer.
    const position = aboveOthers(this.quota, Math.max(...this.othersSeen.map((o) => o.others)));
    if (position !== null) this.aboveSince ??= t;
    else this.aboveSince = null;
    const held = this.aboveSince === null ? 0 : t - this.aboveSince;
    const givenBackTaken = this.fullSeenAt >= this.gaveBackAt + GIVEN_BACK_MS;
    if (givenBackTaken && this.changedAt === this.gaveBackAt) this.untakenGiveBacks = 0;
    if (budget.remaining <= 0 && others >= 1 && position !== null && held >= this.holdMs * (position === 'above' ? 1 : AMBIGUOUS_HOLD)) {
      this.setQuota(this.quota - 1, t);
      this.gaveBackAt = t;
      return;
    }
    if (!this.room.every((r) => r.remaining >= 1) || this.quota >= this.fullQuota || !bound) {
      this.raiseAt = null;
      return;
    }
    // Room in every recent answer: more after a random delay that grows with the quota (the smaller shares take
    // the room first), by half the room seen (several clients finding room at once split it). A single free call
    // is for a client below the others' mean; one just given back is left to the others unless they leave it.
    const room = Math.min(...this.room.map((r) => r.remaining));
    let retaking = false;
    if (room < 2 && position === 'above') return;
    if (room < 2 && t - this.gaveBackAt < COOL_DOWN * HOLD_MS) {
      if (givenBackTaken || t - this.gaveBackAt < RETAKE_MS) return;
      retaking = true;
    }
    this.raiseAt ??= t + (this.random() * RAISE_DELAY_MS * this.quota) / limit;
    if (t < this.raiseAt) return;
    if (retaking) this.untakenGiveBacks = Math.min(MAX_HOLD_DOUBLINGS, this.untakenGiveBacks + 1);
    this.setQuota(this.quota + Math.ceil(room / 2), t);
    this.holdMs = HOLD_MS * (0.8 + 0.4 * this.random()) * 2 ** this.untakenGiveBacks;
  }

  /**
   * A call answered (not a 429): the margin unlearns a little; without headers, the extra call given back when held
   * long enough (givesBack()), else a probe for more when due.
   */
  succeeded(): void {
    const t = this.now();
    if (this.learned > 0) this.learned = Math.max(0, this.learned - 0.05);
    const limit = this.limit;
    if (limit === null || this.quota >= this.fullQuota || t - this.observedAt < HEADERS_FRESH_MS) return;
    if (this.probePending || t - this.boundAt > BOUND_MS) return;
    if (this.givesBack(limit, t)) return;
    this.lightDelay ??= LIGHT_PROBE_MS * (1 + this.random());
    const due = t - this.changedAt >= this.probeDelay;
    if (!due && t - this.changedAt < this.lightDelay) return;
    // A client above the others' mean (the window full: they hold the rest) does not take: it would take from a
    // smaller share. Near the whole limit it does: the rest is its own bunched arrivals or a client at one call per
    // window, which takes a slot back on every 429.
    this.probeTakes = due && (this.positionInFullWindow === null || this.quota >= limit - 1);
    this.quietProbes += 1;
    this.probePending = true;
    this.changedAt = t;
  }

  /**
   * Without headers, the extra call of a limit that does not divide evenly (10 = 4 + 3 + 3) goes round as with
   * headers: a client above the others' mean (not merely ambiguous: 5 of 10 could be one of two clients) while the
   * window is full (its last probe was refused, or none went since clients starting together were refused) gives a
   * call back after holding it HOLD_MS x 0.8-1.2, and leaves the room to the others for COOL_DOWN x HOLD_MS; their
   * probes find it (quiet: no 429). Above half the limit it never gives back: a client alone on a busy machine,
   * whose own late arrivals look like others', would give its calls away one by one.
   */
  private givesBack(limit: number, t: number): boolean {
    const above = this.positionInFullWindow === 'above' && this.quota <= limit / 2;
    if (!above || this.fullAt < this.probedAt) {
      this.aboveSince = null;
      return false;
    }
    this.aboveSince ??= t;
    // Not within a second of a cut: that took a call off already.
    if (t - this.aboveSince < this.holdMs || t - this.cutAt <= 1000) return false;
    this.setQuota(this.quota - 1, t);
    this.quietProbes = 0;
    this.probeDelay = this.nextProbeDelay();
    this.lightDelay = COOL_DOWN * HOLD_MS;
    this.holdMs = HOLD_MS * (0.8 + 0.4 * this.random());
    return true;
  }
}

/**
 * Whether a client holding `quota` calls of the window is above the mean of the others, who hold `others` between
 * them. Their number is guessed from the quotas as if alike, which cannot tell one other client at 6 from two at 4
 * and 2: 'ambiguous' when it is above the mean of two others only.
 */
function aboveOthers(quota: number, others: number): 'above' | 'ambiguous' | null {
  const peers = Math.max(1, Math.round(others / quota));
  if (quota > others / peers + 0.5) return 'above';
  if (others >= quota && quota > others / Math.max(2, peers) + 0.5) return 'ambiguous';
  return null;
}

/** A counting semaphore: the per-service concurrency limit. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  get inUse(): number {
    return this.active;
  }

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.waiters.shift()?.();
    };
  }
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * Per-service circuit breaker: `threshold` consecutive failures open it; after a cool-down (doubling up to
 * `maxCooldownMs`) one probe is let through; a success closes it. While open, callers wait: work queued for
 * the service is not failed.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private cooldown: number;
  private probing = false;
  state: BreakerState = 'closed';

  constructor(
    private readonly threshold = 5,
    private readonly baseCooldownMs = 1000,
    private readonly maxCooldownMs = 30_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.cooldown = baseCooldownMs;
  }

  /** 0 when a call may go now (and, half-open, marks it as the probe); otherwise ms to wait. */
  admit(): number {
    if (this.state === 'closed') return 0;
    const t = this.now();
    if (this.state === 'open') {
      const left = this.openedAt + this.cooldown - t;
      if (left > 0) return left;
      this.state = 'half_open';
    }
    if (this.probing) return Math.min(250, this.cooldown);
    this.probing = true;
    return 0;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    this.state = 'closed';
    this.cooldown = this.baseCooldownMs;
  }

  failure(): void {
    this.failures += 1;
    if (this.state === 'half_open') {
      this.probing = false;
      this.cooldown = Math.min(this.maxCooldownMs, this.cooldown * 2);
      this.open();
    } else if (this.failures >= this.threshold) this.open();
  }

  /** Milliseconds until an open breaker lets the next probe through (0 when closed or half-open). */
  retryInMs(): number {
    return this.state === 'open' ? Math.max(0, this.openedAt + this.cooldown - this.now()) : 0;
  }

  /** A call that ended without telling anything about the service (e.g. cancelled). */
  release(): void {
    this.probing = false;
  }

  private open(): void {
    this.state = 'open';
    this.openedAt = this.now();
  }
}

/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^attempt)]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
