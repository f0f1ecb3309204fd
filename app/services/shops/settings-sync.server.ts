import type { PrismaClient } from "@prisma/client";
import type { PolicySettings } from "../../policy";
import {
  POLICY_SYNC_STEPS,
  PolicySyncError,
  syncPolicy,
  type PolicySyncStep,
  type UserError,
} from "../checkout/policy-sync.server";
import { recomputeShopDeadlines } from "../orders/deadline-store.server";
import { gatewayFor, type AdminGateway } from "../shopify/admin-gateway.server";

export type SyncStepName = "connect" | PolicySyncStep | "deadlines";

export interface SyncStepReport {
  step: SyncStepName;
  label: string;
  status: "done" | "failed" | "not_run";
  detail: string;
  /** Shopify's userErrors, as Shopify words them, when Shopify refused the step. */
  userErrors: UserError[];
}

/** What a settings save (or its retry) did in Shopify and to the stored deadlines, step by step. */
export interface SyncReport {
  ok: boolean;
  attempt: number;
  at: string;
  steps: SyncStepReport[];
}

const LABELS: Record<SyncStepName, string> = {
  connect: "Admin API access (the shop's offline token)",
  read_state: "Read the checkout's Functions, validation and discounts",
  validation: "Checkout validation (INV-1, SHP-3) with the Functions' checkout-rules metafield",
  discount: "Free-shipping discount (SHP-1) with the Functions' checkout-rules metafield",
  shop_rules: "Checkout rules on the shop, for the checkout notices",
  deadlines: "Deadlines of the stored orders recomputed",
};

const STEPS: SyncStepName[] = ["connect", ...POLICY_SYNC_STEPS, "deadlines"];

export type OpenGateway = (shop: string) => Promise<AdminGateway>;

/**
 * Make Shopify and the stored deadlines follow the saved settings, reporting
 * each step. Checkout steps run in order and stop at the first failure (the
 * later ones are "not run"); the deadlines are the app's own and are recomputed
 * either way. Every step is idempotent, so running it again completes it.
 */
export async function syncSavedSettings(
  db: PrismaClient,
  shop: string,
  settings: PolicySettings,
  options: { now: Date; attempt: number; openGateway?: OpenGateway },
): Promise<SyncReport> {
  const steps = new Map<SyncStepName, SyncStepReport>(
    STEPS.map((step) => [step, { step, label: LABELS[step], status: "not_run", detail: "", userErrors: [] }]),
  );
  const done = (step: SyncStepName, detail: string) => Object.assign(steps.get(step)!, { status: "done", detail });
  const failed = (step: SyncStepName, error: unknown, userErrors: UserError[] = []) =>
    Object.assign(steps.get(step)!, { status: "failed", detail: (error as Error).message, userErrors });

  let gateway: AdminGateway | null = null;
  try {
    gateway = await (options.openGateway ?? gatewayFor)(shop);
    done("connect", "Connected");
  } catch (error) {
    failed("connect", error);
  }
  if (gateway) {
    try {
      await syncPolicy(gateway, settings, options.now, (step, outcome) =>
        done(step, outcome === "read" ? "Read" : `${outcome[0]!.toUpperCase()}${outcome.slice(1)}`),
      );
    } catch (error) {
      // The step that threw: named by Shopify's refusal, else the first one that did not finish.
      const step =
        (error instanceof PolicySyncError && error.step) ||
        POLICY_SYNC_STEPS.find((s) => steps.get(s)!.status !== "done")!;
      failed(step, error, error instanceof PolicySyncError ? error.userErrors : []);
    }
  }
  try {
    const orders = await recomputeShopDeadlines(db, shop, options.now);
    done("deadlines", `${orders} order${orders === 1 ? "" : "s"} recomputed`);
  } catch (error) {
    failed("deadlines", error);
  }
  const report = [...steps.values()];
  return {
    ok: report.every((s) => s.status === "done"),
    attempt: options.attempt,
    at: options.now.toISOString(),
    steps: report,
  };
}
