import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { deployMigrations } from "../../prisma/migrator";
import { stubAppEnv } from "../support/app-env";

/**
 * An attempt that failed because the database was unavailable (restarting,
 * unreachable, the connection dropped) is not the event's failure: the event
 * is tried again shortly and its attempts are not used up, so a database outage
 * longer than the retry schedule dead-letters nothing.
 */
let dir: string;
let db: PrismaClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "policy-guard-outage-"));
  const url = `file:${join(dir, "app.sqlite")}`;
  await deployMigrations(url);
  stubAppEnv(url);
  const { createPrismaClient } = await import("../../app/database.server");
  db = createPrismaClient(url);
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

describe("a database outage", () => {
  it("puts an event off without counting the attempt; any other failure counts", async () => {
    const { createPrismaClient, databaseUnavailable } = await import("../../app/database.server");
    const { claimEvents, enqueue, markFailed } = await import("../../app/services/inbox/webhook-inbox.server");
    await enqueue(db, {
      webhookId: "outage-1",
      shop: "outage.myshopify.com",
      topic: "orders/updated",
      body: JSON.stringify({ admin_graphql_api_id: "gid://shopify/Order/1" }),
    });
    // Later than the stored event became due (enqueue stamps it with the wall clock).
    const now = new Date("2030-01-01T12:00:00Z");
    const [event] = await claimEvents(db, "w", 10, 60_000, now);
    // A real one: PostgreSQL where nothing listens.
    const unreachable = createPrismaClient("postgresql://postgres@127.0.0.1:9/none");
    const error = await unreachable.webhookEvent.count().catch((e: unknown) => e);
    await unreachable.$disconnect();
    expect(databaseUnavailable(error)).toBe(true);
    expect(databaseUnavailable(new Error("order 1 does not exist"))).toBe(false);

    await markFailed(db, event!, "w", error, now);
    const putOff = await db.webhookEvent.findUniqueOrThrow({ where: { id: event!.id } });
    expect(putOff).toMatchObject({ status: "pending", attempts: 0, lockedBy: null, lockedUntil: null });
    expect(putOff.nextAttemptAt).toEqual(new Date(now.getTime() + 1_000));
    expect(putOff.lastError).toMatch(/^Database error P1001: .*reach database server/);

    const later = new Date(now.getTime() + 2_000);
    const [again] = await claimEvents(db, "w", 10, 60_000, later);
    expect(again?.id).toBe(event!.id);
    await markFailed(db, again!, "w", new Error("order 1 does not exist"), later);
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { id: event!.id } })).toMatchObject({ attempts: 1 });
  });
});
