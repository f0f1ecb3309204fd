import { Agent, request } from "node:http";

export interface OpenLoopResult {
  sent: number;
  errors: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

/**
 * Constant-rate load: one request every 1000/rate ms whatever the answers
 * (open loop, as webhooks arrive), each request's latency measured.
 */
export async function openLoop(options: {
  url: string;
  rate: number;
  seconds: number;
  build: () => { path: string; headers: Record<string, string>; body: string };
}): Promise<OpenLoopResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let errors = 0;
  const total = options.rate * options.seconds;
  const interval = 1000 / options.rate;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { path, headers, body } = options.build();
    const sentAt = performance.now();
    inFlight.push(
      new Promise<void>((resolve) => {
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
            res.on("end", () => {
              latencies.push(performance.now() - sentAt);
              if (res.statusCode !== 200) errors++;
              resolve();
            });
          },
        );
        req.on("error", () => {
          errors++;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pick = (q: number) =>
    Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
  return {
    sent: total,
    errors,
    p50_ms: pick(0.5),
    p99_ms: pick(0.99),
    max_ms: Number((latencies.at(-1) ?? 0).toFixed(2)),
  };
}
