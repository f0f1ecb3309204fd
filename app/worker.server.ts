import { hostname } from "node:os";
import prisma from "./db.server";
import { env } from "./env.server";
import { gatewayFor } from "./services/shopify/admin-gateway.server";
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
}
