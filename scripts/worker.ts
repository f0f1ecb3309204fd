/**
 * `npm run worker`: process the webhook inbox in its own process. Any number
 * can run against PostgreSQL; with SQLite, run one.
 * Options (environment): WORKER_BATCH (50), WORKER_LEASE_MS (60000), WORKER_POLL_MS (500).
 */
import prisma from "../app/db.server";
import { gatewayFor } from "../app/services/shopify/admin-gateway.server";
import { runWorker } from "../app/services/webhooks/webhook-processor.server";
import { runLabelSweep, workerId } from "../app/worker.server";

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => controller.abort());

const id = workerId();
console.log(`webhook worker ${id} started`);
const labelSweep = runLabelSweep(controller.signal);
await runWorker(
  {
    db: prisma,
    workerId: id,
    gateway: gatewayFor,
    batchSize: Number(process.env.WORKER_BATCH ?? 50),
    leaseMs: Number(process.env.WORKER_LEASE_MS ?? 60_000),
    pollMs: Number(process.env.WORKER_POLL_MS ?? 500),
  },
  controller.signal,
);
await labelSweep;
await prisma.$disconnect();
console.log(`webhook worker ${id} stopped`);
