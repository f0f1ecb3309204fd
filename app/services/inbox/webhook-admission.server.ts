/**
 * Load shedding for webhook deliveries. Past a bound a delivery is refused with 503 and
 * Retry-After before its body is read (Shopify delivers it again later), so the deliveries
 * that are taken are acknowledged within Shopify's timeout instead of every one of them
 * queueing past it.
 *
 * The bounds: deliveries in flight (count and buffered bytes: memory), the time the oldest
 * delivery whose body has arrived has been waiting to be stored (the queue in front of the
 * inbox) and the event loop's current lag (the process is stalled: what arrives meanwhile
 * has waited already). A slow upload counts only against the memory bounds. (Event-loop
 * utilization is no bound: it reaches 1 whenever the server is busy, keeping up or not.)
 */

export interface AdmissionLimits {
  /** Deliveries being received or stored at once. */
  maxInFlight: number;
  /** Body bytes buffered at once. */
  maxBufferedBytes: number;
  /** How long the oldest received delivery may have waited to be stored. */
  maxQueueMs: number;
  /** How late the event loop may be running. */
  maxLagMs: number;
}

export const DEFAULT_LIMITS: AdmissionLimits = {
  maxInFlight: 2_000,
  maxBufferedBytes: 128 * 1024 * 1024,
  maxQueueMs: 1_000,
  maxLagMs: 1_000,
};

/** One admitted delivery: report its bytes, when its body is complete, and when it is answered. */
export interface Ticket {
  buffered(bytes: number): void;
  received(): void;
  done(): void;
}

const LAG_SAMPLE_MS = 20;

export class Admission {
  private inFlight = 0;
  private bytes = 0;
  /** Received deliveries not yet answered, oldest first (a Map keeps insertion order). */
  private waiting = new Map<object, number>();
  private lastTick = 0;
  private lastLag = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Deliveries refused so far, by reason. */
  readonly shed = { inFlight: 0, bytes: 0, queue: 0, lag: 0 };
  private lastReport = -Infinity;
  private unreported = 0;

  constructor(
    public limits: AdmissionLimits = DEFAULT_LIMITS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The event loop's lag now: the last timer's lateness, or how overdue the next one is. */
  lagMs(): number {
    if (!this.timer) return 0;
    return Math.max(this.lastLag, this.now() - this.lastTick - LAG_SAMPLE_MS);
  }

  /** How long the oldest received delivery has been waiting to be stored. */
  queueMs(): number {
    const oldest = this.waiting.values().next();
    return oldest.done ? 0 : this.now() - oldest.value;
  }

  /** Why a delivery arriving now would be refused, or null when it is admitted. */
  private refusal(): keyof Admission["shed"] | null {
    if (this.inFlight >= this.limits.maxInFlight) return "inFlight";
    if (this.bytes >= this.limits.maxBufferedBytes) return "bytes";
    if (this.queueMs() > this.limits.maxQueueMs) return "queue";
    if (this.lagMs() > this.limits.maxLagMs) return "lag";
    return null;
  }

  /** A ticket for a delivery arriving now, or null when it is to be refused. */
  admit(): Ticket | null {
    this.sampleLag();
    const refusal = this.refusal();
    if (refusal) {
      this.shed[refusal]++;
      this.report(refusal);
      return null;
    }
    this.inFlight++;
    const key = {};
    let bytes = 0;
    let finished = false;
    return {
      buffered: (n) => {
        bytes += n;
        this.bytes += n;
      },
      received: () => {
        if (!finished && !this.waiting.has(key)) this.waiting.set(key, this.now());
      },
      done: () => {
        if (finished) return;
        finished = true;
        this.inFlight--;
        this.bytes -= bytes;
        this.waiting.delete(key);
      },
    };
  }

  /** Shedding is logged, at most every 10 s, with what was over its bound. */
  private report(reason: keyof Admission["shed"]): void {
    this.unreported++;
    const now = this.now();
    if (now - this.lastReport < 10_000) return;
    console.warn(
      `webhooks: shed ${this.unreported} deliveries with 503 Retry-After (last over its bound: ${reason}; ` +
        `in flight ${this.inFlight}, ${Math.round(this.bytes / 1024)} KiB buffered, oldest waiting ` +
        `${Math.round(this.queueMs())} ms, event-loop lag ${Math.round(this.lagMs())} ms)`,
    );
    this.lastReport = now;
    this.unreported = 0;
  }

  private sampleLag(): void {
    if (this.timer) return;
    this.lastTick = this.now();
    this.timer = setInterval(() => {
      const now = this.now();
      this.lastLag = Math.max(0, now - this.lastTick - LAG_SAMPLE_MS);
      this.lastTick = now;
    }, LAG_SAMPLE_MS).unref();
  }
}

/** The process's admission: the production server's front door and the Remix route share it. */
export const webhookAdmission = new Admission({ ...DEFAULT_LIMITS });
