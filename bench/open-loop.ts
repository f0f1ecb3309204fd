import { Agent, request } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";

/** How one delivery ended: its status, or how the connection failed. */
export type Outcome = number | "ECONNRESET" | "ECONNREFUSED" | "EPIPE" | "timeout" | string;

export interface Delivery {
  /** The webhook id sent. */
  id: string;
  /** Milliseconds after the run started that it was sent. */
  sentAtMs: number;
  latencyMs: number;
  outcome: Outcome;
  /** The Retry-After header of a 503. */
  retryAfter?: string;
  /** Where a failed delivery was when it failed: waiting for a socket, connecting, or waiting for the answer. */
  phase?: "queued" | "connecting" | "waiting";
  /** Whether it went over a new connection. */
  newConnection?: boolean;
}

export interface OpenLoopResult {
  sent: number;
  /** Rate actually offered (requests / seconds the sending took). */
  offeredRps: number;
  /** 200s per second over the run. */
  okRps: number;
  deliveries: Delivery[];
  /** Count per outcome, e.g. { "200": 29990, "503": 10, "ECONNRESET": 0 }. */
  outcomes: Record<string, number>;
  /** Latency percentiles of the 200s. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The load generator's own largest event-loop delay: when large, it and not the server was the limit. */
  clientDelayMaxMs: number;
}

export const percentile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;

/**
 * Constant-rate load: one request every 1000/rate ms whatever the answers (open loop,
 * as webhooks arrive), each one's latency and outcome recorded. Like Shopify, a delivery
 * not answered within `timeoutMs` counts as failed.
 */
export async function openLoop(options: {
  url: string;
  rate: number;
  seconds: number;
  timeoutMs?: number;
  build: () => { id: string; path: string; headers: Record<string, string>; body: string };
}): Promise<OpenLoopResult> {
  const target = new URL(options.url);
  // As many connections as the load needs (Shopify opens more as deliveries queue).
  const agent = new Agent({ keepAlive: true, maxSockets: 4096 });
  const timeoutMs = options.timeoutMs ?? 5_000;
  const deliveries: Delivery[] = [];
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const clientDelay = monitorEventLoopDelay({ resolution: 5 });
  clientDelay.enable();
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { id, path, headers, body } = options.build();
    const sentAt = performance.now();
    inFlight.push(
      new Promise<void>((resolve) => {
        let settled = false;
        let phase: Delivery["phase"] = "queued";
        let newConnection: boolean | undefined;
        const settle = (outcome: Outcome, retryAfter?: string) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const latencyMs = performance.now() - sentAt;
          const failed = outcome !== 200 && outcome !== 503;
          deliveries.push({
            id,
            sentAtMs: sentAt - start,
            latencyMs,
            outcome,
            retryAfter,
            ...(failed ? { phase, newConnection } : {}),
          });
          resolve();
        };
        const req = request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path,
            method: "POST",
            headers: { ...headers, "content-length": Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on("end", () => settle(res.statusCode ?? 0, res.headers["retry-after"]));
            res.on("error", (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
          },
        );
        const timer = setTimeout(() => {
          settle("timeout");
          req.destroy();
        }, timeoutMs);
        req.on("error", (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
        req.on("socket", (socket) => {
          newConnection = socket.connecting;
          phase = socket.connecting ? "connecting" : "waiting";
          if (socket.connecting) socket.once("connect", () => (phase = "waiting"));
        });
        req.end(body);
      }),
    );
  }
  const sendSeconds = (performance.now() - start) / 1000;
  await Promise.all(inFlight);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  clientDelay.disable();
  const outcomes: Record<string, number> = {};
  for (const d of deliveries) outcomes[String(d.outcome)] = (outcomes[String(d.outcome)] ?? 0) + 1;
  const ok = deliveries
    .filter((d) => d.outcome === 200)
    .map((d) => d.latencyMs)
    .sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(1));
  return {
    sent: total,
    offeredRps: Math.round(total / Math.max(sendSeconds, options.seconds)),
    okRps: Math.round(ok.length / seconds),
    deliveries,
    outcomes,
    p50Ms: round(percentile(ok, 0.5)),
    p99Ms: round(percentile(ok, 0.99)),
    maxMs: round(ok.at(-1) ?? 0),
    clientDelayMaxMs: round(clientDelay.max / 1e6),
  };
}
