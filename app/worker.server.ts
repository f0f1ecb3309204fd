import { hostname } from "node:os";
import prisma from "./db.server";
import { env } from "./env.server";
import { gatewayFor } from "./services/shopify/admin-gateway.server";
import { voidExpiredLabels } from "./services/labels/void-expired-labels.server";
import { runWorker } from "./services/webhooks/webhook-processor.server";

declare global {
  var inlineWorker: AbortController | undefined;
}

export function workerId(): string {
  return `${hostname()}:${process.pid}`;
}

/** The web server processes webhooks itself unless WEBHOOK_WORKER=off (then run `npm run worker`). */
export function startInlineWorker(): void {
  if (env().WEBHOOK_WORKER !== "inline" || globalThis.inlineWorker) return;
  globalThis.inlineWorker = new AbortController();
  void runWorker({ db: prisma, workerId: workerId(), gateway: gatewayFor }, globalThis.inlineWorker.signal);
  void runLabelSweep(globalThis.inlineWorker.signal);
}

/**
 * Beside the deadline sweep, every minute: labels past RET-6's moment without a scan are voided
 * with the carrier, parcels past RET-12's date flagged lost (RET-13). A failing carrier is retried next time.
 */
export async function runLabelSweep(signal: AbortSignal, everyMs = 60_000, clock = () => new Date()): Promise<void> {
  while (!signal.aborted) {
    await voidExpiredLabels(clock()).catch((error) => console.error("label sweep:", (error as Error).message));
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, everyMs);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve(null)), { once: true });
    });
  }
}
