import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { deployMigrations } from "../../prisma/migrator";
import { freshPostgresDatabase } from "../support/postgres-db";
import type * as Inbox from "../../app/services/inbox/webhook-inbox.server";
import { stubAppEnv } from "../support/app-env";

const postgresUrl = inject("postgresUrl");
const run = postgresUrl ? describe : describe.skip;

run("inbox claims on PostgreSQL (FOR UPDATE SKIP LOCKED)", () => {
  let dbs: PrismaClient[] = [];
  let claimEvents: typeof Inbox.claimEvents;

  beforeAll(async () => {
    const url = await freshPostgresDatabase(postgresUrl!, "claims_test");
    await deployMigrations(url);
    stubAppEnv(url);
    const { createPrismaClient } = await import("../../app/database.server");
    ({ claimEvents } = await import("../../app/services/inbox/webhook-inbox.server"));
    dbs = [createPrismaClient(url), createPrismaClient(url), createPrismaClient(url)];
    await dbs[0]!.webhookEvent.createMany({
      data: Array.from({ length: 600 }, (_, i) => ({
        webhookId: `w${i}`,
        shop: "s.myshopify.com",
        topic: "orders/create",
        body: "{}",
      })),
    });
  });
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.$disconnect()));
    vi.unstubAllEnvs();
  });

  it("gives concurrent workers disjoint events until the inbox is empty", async () => {
    const claimed = await Promise.all(
      dbs.map(async (db, i) => {
        const mine: string[] = [];
        for (;;) {
          const batch = await claimEvents(db, `worker-${i}`, 25, 60_000);
          if (!batch.length) return mine;
          mine.push(...batch.map((e) => e.webhookId));
        }
      }),
    );
    const all = claimed.flat();
    expect(all).toHaveLength(600);
    expect(new Set(all).size).toBe(600);
    expect(claimed.filter((c) => c.length > 0).length).toBeGreaterThan(1);
  });

  it("lets an expired lease be claimed again (a worker that died)", async () => {
    await dbs[0]!.webhookEvent.updateMany({ data: { lockedUntil: new Date(Date.now() - 1_000) } });
    const again = await claimEvents(dbs[1]!, "worker-new", 1000, 60_000);
    expect(again).toHaveLength(600);
  });

  it("never gives two workers events of the same order at once", async () => {
    await dbs[0]!.webhookEvent.updateMany({ data: { status: "done" } });
    await dbs[0]!.webhookEvent.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({
        webhookId: `order-event-${i}`,
        shop: "s.myshopify.com",
        topic: "orders/updated",
        body: "{}",
        subject: `gid://shopify/Order/${i % 40}`,
      })),
    });
    // Nobody finishes: every lease is held, as while a batch is being applied.
    const claimed = await Promise.all(
      dbs.map(async (db, i) => {
        const mine: Array<{ subject: string | null }> = [];
        for (let empty = 0; empty < 3;) {
          const batch = await claimEvents(db, `holder-${i}`, 7, 60_000);
          if (!batch.length) empty++;
          mine.push(...batch);
        }
        return mine.map((e) => e.subject);
      }),
    );
    const owners = new Map<string, Set<number>>();
    claimed.forEach((subjects, worker) => {
      for (const subject of subjects) owners.set(subject!, (owners.get(subject!) ?? new Set()).add(worker));
    });
    expect(claimed.flat()).toHaveLength(300);
    expect([...owners.values()].every((workers) => workers.size === 1)).toBe(true);
    expect(claimed.filter((c) => c.length > 0).length).toBeGreaterThan(1);
  });
});
