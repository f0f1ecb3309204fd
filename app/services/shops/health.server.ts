import type { PrismaClient } from "@prisma/client";
import {
  checkoutRulesDifferences,
  deliveryRateFindings,
  deliveryRatePlan,
  describeRate,
  webhookSubscriptionFindings,
  zoneCountryFindings,
  type HealthCheck,
} from "../../policy/health";
import { formatMoney } from "../../policy/money";
import type { PolicySettings } from "../../policy/settings";
import { DISCOUNT_FUNCTION, VALIDATION_FUNCTION } from "../checkout/policy-sync.server";
import { deadLetters } from "../inbox/webhook-inbox.server";
import { auditInventory, inventoryAuditState } from "../inventory/inventory-guard.server";
import type { AdminGateway } from "../shopify/admin-gateway.server";
import { declaredWebhookTopics } from "./health-config.server";
import { readHealthFacts, type HealthFacts } from "./health-facts.server";
import { fulfillmentAuditCheck } from "./health-fulfillments.server";

/** The worker pulls orders every 15 minutes; a last success older than this means the pull is not running. */
export const RECONCILE_STALE_MS = 60 * 60_000;

export interface HealthReport {
  checkedAt: string;
  checks: HealthCheck[];
}

const SYNC_FIX = { label: "Run policy sync" };

function validationCheck(facts: HealthFacts): HealthCheck {
  const base = { id: "validation", title: "Checkout validation Function", rules: ["INV-1", "SHP-3"] } as const;
  if (!facts.functions.some((f) => f.handle === VALIDATION_FUNCTION))
    return {
      ...base,
      state: "missing",
      summary: `The app's ${VALIDATION_FUNCTION} Function is not deployed to this shop: deploy the app (shopify app deploy).`,
      details: [],
      fix: null,
    };
  const validation = facts.validations.find((v) => v.shopifyFunction.handle === VALIDATION_FUNCTION);
  if (!validation)
    return {
      ...base,
      state: "missing",
      summary: "No checkout validation runs the Function.",
      details: [],
      fix: SYNC_FIX,
    };
  if (!validation.enabled)
    return {
      ...base,
      state: "drift",
      summary: `The validation "${validation.title}" exists but is turned off: checkout does not enforce INV-1 and SHP-3.`,
      details: [],
      fix: { label: "Turn it on (policy sync)" },
    };
  return { ...base, state: "ok", summary: `"${validation.title}" is on.`, details: [], fix: null };
}

function discountCheck(facts: HealthFacts): HealthCheck {
  const base = { id: "discount", title: "Free-shipping discount", rules: ["SHP-1"] } as const;
  const fn = facts.functions.find((f) => f.handle === DISCOUNT_FUNCTION);
  if (!fn)
    return {
      ...base,
      state: "missing",
      summary: `The app's ${DISCOUNT_FUNCTION} Function is not deployed to this shop: deploy the app (shopify app deploy).`,
      details: [],
      fix: null,
    };
  const node = facts.discounts.find((d) => d.automaticDiscount.appDiscountType?.functionId === fn.id);
  if (!node)
    return {
      ...base,
      state: "missing",
      summary: "No automatic discount runs the Function.",
      details: [],
      fix: SYNC_FIX,
    };
  const { title, status } = node.automaticDiscount;
  if (status !== "ACTIVE")
    return {
      ...base,
      state: "drift",
      summary: `"${title}" is ${String(status).toLowerCase()}, not active: no order ships free.`,
      details: [],
      fix: null,
      link: { label: "Open discounts in Shopify", url: "shopify://admin/discounts" },
    };
  return { ...base, state: "ok", summary: `"${title}" is active.`, details: [], fix: null };
}

function rulesCheck(facts: HealthFacts, settings: PolicySettings): HealthCheck {
  const base = {
    id: "checkout-rules",
    title: "Rules the Functions read (checkout-rules metafields)",
    rules: [],
  } as const;
  const validation = facts.validations.find((v) => v.shopifyFunction.handle === VALIDATION_FUNCTION);
  const fn = facts.functions.find((f) => f.handle === DISCOUNT_FUNCTION);
  const discount = fn && facts.discounts.find((d) => d.automaticDiscount.appDiscountType?.functionId === fn.id);
  const owners = [
    { name: "the validation", present: Boolean(validation), metafield: validation?.metafield ?? null },
    { name: "the discount", present: Boolean(discount), metafield: discount?.metafield ?? null },
    { name: "the shop (checkout notices)", present: true, metafield: facts.shop.metafield },
  ].filter((o) => o.present);
  const details: string[] = [];
  let missing = 0;
  for (const owner of owners) {
    if (!owner.metafield) {
      missing++;
      details.push(`${owner.name} has no checkout-rules metafield`);
      continue;
    }
    const differences = checkoutRulesDifferences(owner.metafield.value, settings);
    if (differences.length) details.push(`${owner.name} differs from the saved settings at ${differences.join(", ")}`);
  }
  if (!details.length)
    return { ...base, state: "ok", summary: "Every copy matches the saved settings.", details: [], fix: null };
  return {
    ...base,
    state: missing === owners.length ? "missing" : "drift",
    summary: "What checkout enforces is not what the settings say.",
    details,
    fix: SYNC_FIX,
  };
}

function deliveryRateCheck(facts: HealthFacts, settings: PolicySettings): HealthCheck {
  const base = { id: "delivery-rate", title: "Flat rate below the free-shipping threshold", rules: ["SHP-2"] } as const;
  const flat = settings.shipping.flatRate;
  if (!flat) return { ...base, state: "ok", summary: "The policy sets no flat rate.", details: [], fix: null };
  if (!facts.zones.length)
    return { ...base, state: "missing", summary: "The shop has no delivery zones.", details: [], fix: null };
  const findings = deliveryRateFindings(facts.zones, settings.shipping);
  if (!findings.length)
    return {
      ...base,
      state: "ok",
      summary: `Below the threshold every zone charges ${formatMoney(flat)}.`,
      details: [],
      fix: null,
    };
  const plan = deliveryRatePlan(facts.zones, settings.shipping);
  const fixable = plan.update.length + plan.create.length > 0;
  const missingOnly = findings.every((f) => f.code === "RATE_MISSING");
  return {
    ...base,
    state: missingOnly ? "missing" : "drift",
    summary: fixable
      ? `Set ${plan.update
          .map((u) => describeRate(u.rate))
          .concat(plan.create.map((z) => `a new rate in ${z.name}`))
          .join(", ")} to ${formatMoney(flat)}.`
      : `No zone ships to ${plan.unserved.join(", ")}: add one in Shopify's shipping settings.`,
    details: findings.map((f) => f.message),
    fix: fixable ? { label: `Set the rate to ${formatMoney(flat)}` } : null,
  };
}

function deliveryZonesCheck(facts: HealthFacts, settings: PolicySettings): HealthCheck {
  const base = {
    id: "delivery-zones",
    title: "Delivery zones inside the allowed countries",
    rules: ["SHP-3"],
  } as const;
  const allowed = settings.shipping.allowedCountries;
  if (!allowed) return { ...base, state: "ok", summary: "The policy ships worldwide.", details: [], fix: null };
  const findings = zoneCountryFindings(facts.zones, settings.shipping);
  if (!findings.length)
    return { ...base, state: "ok", summary: `Every zone ships within ${allowed.join(", ")}.`, details: [], fix: null };
  const deletable = findings.filter((f) => f.onlyExtra);
  const mixed = findings.filter((f) => !f.onlyExtra);
  return {
    ...base,
    state: "drift",
    summary: `Shopify offers shipping outside ${allowed.join(", ")}; the validation blocks those checkouts (SHP-3) but shoppers see rates first.`,
    details: [
      ...deletable.map(
        (f) => `Zone "${f.zone.name}" ships only outside the policy (${f.extra.join(", ")}): it can be deleted.`,
      ),
      // The Admin API adds countries to a zone but has no input that removes one from it.
      ...mixed.map(
        (f) =>
          `Zone "${f.zone.name}" also ships to ${f.extra.join(", ")}: remove them in Shopify's admin (Settings › Shipping and delivery); the Admin API cannot take a country out of a zone.`,
      ),
    ],
    fix: deletable.length
      ? { label: `Delete ${deletable.length === 1 ? "the zone" : `${deletable.length} zones`}` }
      : null,
    ...(mixed.length ? { link: { label: "Open shipping settings", url: "shopify://admin/settings/shipping" } } : {}),
  };
}

function webhooksCheck(facts: HealthFacts, declared: string[]): HealthCheck {
  const base = { id: "webhooks", title: "Webhook subscriptions (shopify.app.toml)", rules: [] } as const;
  const scope = `${declared.length} topics of shopify.app.toml are app-scoped: Shopify applies them on deploy, and the Admin API does not list them (webhookSubscriptions returns shop-scoped subscriptions only).`;
  const findings = webhookSubscriptionFindings(declared, facts.subscriptions);
  if (!findings.length)
    return {
      ...base,
      state: "ok",
      summary: "No shop-scoped subscription contradicts shopify.app.toml.",
      details: [scope],
      fix: null,
    };
  return {
    ...base,
    state: "drift",
    summary: `${findings.length} shop-scoped subscription${findings.length === 1 ? "" : "s"} beside shopify.app.toml.`,
    details: [...findings.map((f) => f.reason), scope],
    fix: { label: "Delete them" },
  };
}

function nativeReturnsCheck(settings: PolicySettings): HealthCheck {
  const base = { id: "native-returns", title: "Shopify's self-serve returns", rules: ["RET-1", "RET-3"] } as const;
  const why = "Shopify's self-serve return settings cannot be read through the Admin API";
  return settings.returns.declineIneligibleNative
    ? {
        ...base,
        state: "ok",
        summary: `${why}; the safety net is on: a native return that breaks the policy is declined.`,
        details: [],
        fix: null,
      }
    : {
        ...base,
        state: "unknown",
        summary: `${why}; the safety net is off: turn off self-serve returns in Shopify, or turn the safety net on in Settings.`,
        details: [],
        fix: null,
      };
}

async function inventoryCheck(
  db: PrismaClient,
  shop: string,
  settings: PolicySettings,
  now: Date,
): Promise<HealthCheck> {
  const base = {
    id: "inventory",
    title: "One-of-a-kind inventory",
    rules: ["INV-2"],
    link: { label: "Open the inventory guard", url: "/app/inventory" },
  } as const;
  const [state, unsafe] = await Promise.all([inventoryAuditState(db, shop, now), auditInventory(db, shop, settings)]);
  if (
    state.status === "not_checked" ||
    (state.status !== "done" && !("lastCompletedAt" in state && state.lastCompletedAt))
  )
    return { ...base, state: "unknown", summary: "No inventory audit has completed yet.", details: [], fix: null };
  if (unsafe.length)
    return {
      ...base,
      state: "drift",
      summary: `${unsafe.length} variant${unsafe.length === 1 ? "" : "s"} can be oversold.`,
      details: unsafe
        .slice(0, 5)
        .map((v) => `${v.productTitle ?? v.productId}: ${v.findings.map((f) => f.message).join(" ")}`),
      fix: null,
    };
  return { ...base, state: "ok", summary: "No one-of-a-kind variant can be oversold.", details: [], fix: null };
}

async function reconciliationCheck(db: PrismaClient, shop: string, now: Date): Promise<HealthCheck> {
  const base = { id: "reconciliation", title: "Order reconciliation", rules: [] } as const;
  const sync = await db.syncState.findUnique({ where: { shop } });
  const at = sync?.ordersSyncedAt;
  if (!at)
    return {
      ...base,
      state: "unknown",
      summary: "Orders have never been reconciled.",
      details: [],
      fix: { label: "Reconcile now" },
    };
  const minutes = Math.round((now.getTime() - at.getTime()) / 60_000);
  const when = `Last successful reconciliation ${minutes} minute${minutes === 1 ? "" : "s"} ago (${at.toISOString()}).`;
  return now.getTime() - at.getTime() > RECONCILE_STALE_MS
    ? {
        ...base,
        state: "drift",
        summary: `${when} The periodic pull is not running.`,
        details: [],
        fix: { label: "Reconcile now" },
      }
    : { ...base, state: "ok", summary: when, details: [], fix: null };
}

async function deadLettersCheck(db: PrismaClient, shop: string): Promise<HealthCheck> {
  const dead = await deadLetters(db, shop);
  const base = {
    id: "dead-letters",
    title: "Webhooks that failed for good",
    rules: [],
    link: { label: "Open webhooks", url: "/app/webhooks" },
  } as const;
  return dead.length
    ? {
        ...base,
        state: "drift",
        summary: `${dead.length} dead letter${dead.length === 1 ? "" : "s"}: replay them from Webhooks.`,
        details: [],
        fix: null,
      }
    : { ...base, state: "ok", summary: "No dead letters.", details: [], fix: null };
}

/** A check that could not be made, with why. */
function unknownCheck(id: HealthCheck["id"], title: string, error: Error): HealthCheck {
  return {
    id,
    title,
    rules: [],
    state: "unknown",
    summary: `Could not ask Shopify: ${error.message}`,
    details: [],
    fix: null,
  };
}

const SHOPIFY_CHECKS = [
  ["validation", "Checkout validation Function"],
  ["discount", "Free-shipping discount"],
  ["checkout-rules", "Rules the Functions read (checkout-rules metafields)"],
  ["delivery-rate", "Flat rate below the free-shipping threshold"],
  ["delivery-zones", "Delivery zones inside the allowed countries"],
  ["webhooks", "Webhook subscriptions (shopify.app.toml)"],
] as const;

/** Everything the policy depends on in Shopify, each with its state, read now through the Admin API. */
export async function checkHealth(
  db: PrismaClient,
  gateway: AdminGateway,
  settings: PolicySettings,
  now = new Date(),
  declared = declaredWebhookTopics(),
): Promise<HealthReport> {
  const facts = await readHealthFacts(gateway).catch((error: Error) => error);
  const shopify =
    facts instanceof Error
      ? SHOPIFY_CHECKS.map(([id, title]) => unknownCheck(id, title, facts))
      : [
          validationCheck(facts),
          discountCheck(facts),
          rulesCheck(facts, settings),
          deliveryRateCheck(facts, settings),
          deliveryZonesCheck(facts, settings),
          webhooksCheck(facts, declared),
        ];
  const local = await Promise.all([
    inventoryCheck(db, gateway.shop, settings, now),
    reconciliationCheck(db, gateway.shop, now),
    deadLettersCheck(db, gateway.shop),
    fulfillmentAuditCheck(db, gateway.shop, now),
  ]);
  return { checkedAt: now.toISOString(), checks: [...shopify, nativeReturnsCheck(settings), ...local] };
}
