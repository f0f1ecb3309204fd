import { createHmac, randomUUID } from "node:crypto";
import { restPayload } from "./rest";
import type { EmulatedStore, StoreEvent } from "./store";

export interface Subscription {
  topic: string;
  /** Absolute URL the webhook is POSTed to. */
  uri: string;
}

/** Shopify retries a failed delivery 8 times over about 4 hours. */
export const SHOPIFY_RETRY_SCHEDULE_MS = [10_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000];

export interface DeliveryOptions {
  secret: string;
  apiVersion?: string;
  /** Multiply every retry wait (0.001 turns hours into seconds in tests). */
  retryTimeScale?: number;
  /** Send each webhook this many times (Shopify delivers at least once). */
  copies?: number;
  /** Wait before the first attempt, in ms. */
  delayMs?: number;
}

export interface DeliveryRecord {
  webhookId: string;
  eventId: string;
  topic: string;
  uri: string;
  attempt: number;
  status: number | "network-error";
  at: Date;
}

interface Pending {
  webhookId: string;
  eventId: string;
  topic: string;
  uri: string;
  body: string;
  triggeredAt: string;
  attempt: number;
}

export function signBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/**
 * Sends the store's events as signed webhooks with Shopify's headers, retrying
 * failures on Shopify's schedule. Knobs for tests: copies, delay, hold and
 * release in any order.
 */
export class WebhookDelivery {
  readonly subscriptions: Subscription[] = [];
  readonly log: DeliveryRecord[] = [];
  private held: Pending[] | null = null;
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  private readonly listener = (event: StoreEvent) => this.enqueue(event);

  constructor(
    readonly store: EmulatedStore,
    readonly options: DeliveryOptions,
  ) {
    store.on("event", this.listener);
  }

  subscribe(topic: string, uri: string): void {
    if (!this.subscriptions.some((s) => s.topic === topic && s.uri === uri)) this.subscriptions.push({ topic, uri });
  }

  /** Queue deliveries instead of sending them, until release(). */
  hold(): void {
    this.held ??= [];
  }

  /** Send what was held, optionally shuffled (out of order) with a seedable order. */
  release(options: { shuffle?: () => number } = {}): void {
    const queue = this.held ?? [];
    this.held = null;
    if (options.shuffle) {
      for (let i = queue.length - 1; i > 0; i--) {
        const j = Math.floor(options.shuffle() * (i + 1));
        [queue[i], queue[j]] = [queue[j]!, queue[i]!];
      }
    }
    for (const pending of queue) this.attempt(pending);
  }

  /** Take what was held as ready-to-send requests (URL, Shopify's headers, body), for a test to deliver itself. */
  takeHeld(): Array<{ uri: string; headers: Record<string, string>; body: string; webhookId: string }> {
    const queue = this.held ?? [];
    this.held = [];
    return queue.map((p) => ({ uri: p.uri, headers: this.headers(p), body: p.body, webhookId: p.webhookId }));
  }

  /** Send a ready-made payload (compliance topics, app/scopes_update) to the topic's subscribers. */
  sendPayload(topic: string, payload: Record<string, unknown>): void {
    this.enqueue({ topic, resource: payload, occurredAt: this.store.now() });
  }

  private enqueue(event: StoreEvent): void {
    const targets = this.subscriptions.filter((s) => s.topic === event.topic);
    if (!targets.length) return;
    const body = JSON.stringify(restPayload(event.topic, event.resource as Record<string, any>, this.store));
    const eventId = randomUUID();
    for (const target of targets) {
      const webhookId = randomUUID();
      for (let copy = 0; copy < (this.options.copies ?? 1); copy++) {
        const pending: Pending = {
          webhookId,
          eventId,
          topic: event.topic,
          uri: target.uri,
          body,
          triggeredAt: event.occurredAt.toISOString(),
          attempt: 0,
        };
        if (this.held) this.held.push(pending);
        else if (this.options.delayMs) this.later(pending, this.options.delayMs);
        else this.attempt(pending);
      }
    }
  }

  private later(pending: Pending, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(pending);
    }, ms);
    this.timers.add(timer);
  }

  headers(
    pending: Pick<Pending, "topic" | "body" | "webhookId" | "eventId" | "triggeredAt">,
    secret = this.options.secret,
  ): Record<string, string> {
    return {
      "Content-Type": "application/json",
      "X-Shopify-Topic": pending.topic,
      "X-Shopify-Hmac-Sha256": signBody(pending.body, secret),
      "X-Shopify-Shop-Domain": this.store.domain,
      "X-Shopify-API-Version": this.options.apiVersion ?? "2026-10",
      "X-Shopify-Webhook-Id": pending.webhookId,
      "X-Shopify-Event-Id": pending.eventId,
      "X-Shopify-Triggered-At": pending.triggeredAt,
      "User-Agent": "Shopify-Captain-Hook",
    };
  }

  private attempt(pending: Pending): void {
    const run = (async () => {
      let status: DeliveryRecord["status"];
      try {
        const response = await fetch(pending.uri, {
          method: "POST",
          headers: this.headers(pending),
          body: pending.body,
          signal: AbortSignal.timeout(5_000),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = "network-error";
      }
      this.log.push({
        webhookId: pending.webhookId,
        eventId: pending.eventId,
        topic: pending.topic,
        uri: pending.uri,
        attempt: pending.attempt,
        status,
        at: new Date(),
      });
      const ok = typeof status === "number" && status >= 200 && status < 300;
      const wait = SHOPIFY_RETRY_SCHEDULE_MS[pending.attempt];
      if (!ok && wait !== undefined)
        this.later({ ...pending, attempt: pending.attempt + 1 }, wait * (this.options.retryTimeScale ?? 1));
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Resolves when nothing is in flight or waiting to retry. */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size || this.timers.size) {
      if (Date.now() > deadline) throw new Error("Webhook deliveries did not settle in time");
      await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 20))]);
    }
  }

  close(): void {
    this.store.off("event", this.listener);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
