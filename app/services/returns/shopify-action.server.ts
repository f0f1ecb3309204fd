import { Prisma, type PrismaClient } from "@prisma/client";
import prisma from "../../db.server";

/** The same action is being carried out right now (a double click while the first is in flight). */
export class ActionInProgressError extends Error {
  override name = "ActionInProgressError";
  constructor(readonly key: string) {
    super(`The action ${key} is already under way`);
  }
}

export interface OnceOnlyOptions<T> {
  db?: PrismaClient;
  now?: Date;
  /** A `started` row older than this is taken for an attempt that died (default 2 minutes). */
  staleAfterMs?: number;
  /**
   * Before an attempt that failed or died is tried again: did Shopify make the change after all
   * (a timeout after Shopify acted)? Its answer, when not null, becomes the action's result.
   */
  recover?: () => Promise<T | null>;
}

export interface OnceOnlyOutcome<T> {
  result: T;
  /** True when an earlier attempt had already made the change. */
  repeated: boolean;
}

const isDuplicate = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/**
 * Run `run` — something that changes Shopify or a carrier — at most once per (shop, key):
 * a retry or a double click finds the first attempt's row and gets its result without
 * changing Shopify again. A failed attempt may be tried again (after `recover` found that
 * Shopify did not act). The result is stored as JSON: keep it small (ids), Dates come back
 * as strings.
 */
export async function runOnce<T>(
  shop: string,
  key: string,
  run: () => Promise<T>,
  options: OnceOnlyOptions<T> = {},
): Promise<OnceOnlyOutcome<T>> {
  const db = options.db ?? prisma;
  const now = options.now ?? new Date();
  const staleAfterMs = options.staleAfterMs ?? 120_000;
  let claimed = false;
  try {
    await db.shopifyAction.create({ data: { shop, key, status: "started", startedAt: now } });
    claimed = true;
  } catch (error) {
    if (!isDuplicate(error)) throw error;
  }
  if (!claimed) {
    const row = await db.shopifyAction.findUniqueOrThrow({ where: { shop_key: { shop, key } } });
    if (row.status === "done") return { result: row.result as T, repeated: true };
    const stale = row.status === "started" && now.getTime() - row.startedAt.getTime() >= staleAfterMs;
    if (row.status === "started" && !stale) throw new ActionInProgressError(key);
    // Take the row over from the failed or dead attempt; of two retries racing, one wins.
    const taken = await db.shopifyAction.updateMany({
      where: { id: row.id, status: row.status, startedAt: row.startedAt },
      data: { status: "started", startedAt: now, error: null, finishedAt: null },
    });
    if (taken.count === 0) throw new ActionInProgressError(key);
    const recovered = options.recover ? await options.recover() : null;
    if (recovered !== null) {
      await finish(db, row.id, recovered, now);
      return { result: recovered, repeated: true };
    }
    return { result: await attempt(db, row.id, run, now), repeated: false };
  }
  const row = await db.shopifyAction.findUniqueOrThrow({ where: { shop_key: { shop, key } }, select: { id: true } });
  return { result: await attempt(db, row.id, run, now), repeated: false };
}

/** `runOnce` when the caller does not care whether the change was made by this attempt. */
export async function onceOnly<T>(
  shop: string,
  key: string,
  run: () => Promise<T>,
  options: OnceOnlyOptions<T> = {},
): Promise<T> {
  return (await runOnce(shop, key, run, options)).result;
}

async function attempt<T>(db: PrismaClient, id: string, run: () => Promise<T>, now: Date): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await db.shopifyAction.update({
      where: { id },
      data: { status: "failed", error: String((error as Error).message ?? error).slice(0, 500), finishedAt: now },
    });
    throw error;
  }
  await finish(db, id, result, now);
  return result;
}

function finish<T>(db: PrismaClient, id: string, result: T, now: Date) {
  return db.shopifyAction.update({
    where: { id },
    data: {
      status: "done",
      result: (result ?? Prisma.JsonNull) as Prisma.InputJsonValue,
      finishedAt: now,
    },
  });
}
