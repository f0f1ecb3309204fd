import type { PrismaClient } from "@prisma/client";
import { decimalAmount, deliveryRatePlan, zoneCountryFindings, type HealthCheckId } from "../../policy/health";
import type { PolicySettings } from "../../policy/settings";
import { syncPolicy } from "../checkout/policy-sync.server";
import { reconcileOrders } from "../orders/reconcile.server";
import type { AdminGateway } from "../shopify/admin-gateway.server";
import { DELIVERY_PROFILE_UPDATE, WEBHOOK_SUBSCRIPTION_DELETE } from "./health-documents";
import { readHealthFacts } from "./health-facts.server";

export class HealthFixError extends Error {
  override name = "HealthFixError";
  constructor(
    readonly code: "NO_FIX" | "SHOPIFY_USER_ERROR",
    message: string,
  ) {
    super(message);
  }
}

interface UserError {
  field: string[] | null;
  message: string;
}

function refuse(what: string, errors: UserError[]): void {
  if (errors.length)
    throw new HealthFixError(
      "SHOPIFY_USER_ERROR",
      `${what}: ${errors.map((e) => `${e.message}${e.field ? ` (${e.field.join(".")})` : ""}`).join("; ")}`,
    );
}

async function updateProfile(gateway: AdminGateway, id: string, profile: Record<string, unknown>, what: string) {
  const result = await gateway.request<{ deliveryProfileUpdate: { userErrors: UserError[] } }>(
    DELIVERY_PROFILE_UPDATE,
    {
      id,
      profile,
    },
  );
  refuse(what, result.deliveryProfileUpdate.userErrors);
}

/** SHP-2: every below-threshold rate set to the flat rate; a zone with none gets one. One update per profile. */
async function fixDeliveryRate(gateway: AdminGateway, settings: PolicySettings): Promise<number> {
  const flat = settings.shipping.flatRate;
  if (!flat) throw new HealthFixError("NO_FIX", "The policy sets no flat rate.");
  const { zones } = await readHealthFacts(gateway);
  const plan = deliveryRatePlan(zones, settings.shipping);
  if (!plan.update.length && !plan.create.length)
    throw new HealthFixError(
      "NO_FIX",
      "No rate to set: every zone already charges the flat rate, or none ships to the allowed countries.",
    );
  const price = { amount: decimalAmount(flat), currencyCode: flat.currency };
  const profiles = new Map<string, Map<string, Map<string, Record<string, unknown>>>>();
  const zoneInput = (profileId: string, groupId: string, zoneId: string) => {
    const groups = profiles.get(profileId) ?? new Map();
    profiles.set(profileId, groups);
    const zonesOfGroup = groups.get(groupId) ?? new Map();
    groups.set(groupId, zonesOfGroup);
    const zone = zonesOfGroup.get(zoneId) ?? {
      id: zoneId,
      methodDefinitionsToUpdate: [],
      methodDefinitionsToCreate: [],
    };
    zonesOfGroup.set(zoneId, zone);
    return zone as { methodDefinitionsToUpdate: unknown[]; methodDefinitionsToCreate: unknown[] };
  };
  for (const { zone, rate } of plan.update)
    zoneInput(zone.profileId, zone.locationGroupId, zone.zoneId).methodDefinitionsToUpdate.push({
      id: rate.methodId,
      rateDefinition: { ...(rate.rateId ? { id: rate.rateId } : {}), price },
    });
  for (const zone of plan.create)
    zoneInput(zone.profileId, zone.locationGroupId, zone.zoneId).methodDefinitionsToCreate.push({
      name: "Standard",
      active: true,
      rateDefinition: { price },
    });
  for (const [profileId, groups] of profiles)
    await updateProfile(
      gateway,
      profileId,
      {
        locationGroupsToUpdate: [...groups].map(([id, zonesOfGroup]) => ({
          id,
          zonesToUpdate: [...zonesOfGroup.values()],
        })),
      },
      "Setting the flat rate failed",
    );
  return plan.update.length + plan.create.length;
}

/** SHP-3: zones that ship only outside the allowed countries are deleted; mixed zones need Shopify's admin. */
async function fixDeliveryZones(gateway: AdminGateway, settings: PolicySettings): Promise<number> {
  const { zones } = await readHealthFacts(gateway);
  const deletable = zoneCountryFindings(zones, settings.shipping).filter((f) => f.onlyExtra);
  if (!deletable.length)
    throw new HealthFixError(
      "NO_FIX",
      "No zone can be deleted: remove the extra countries in Shopify's admin; the Admin API cannot take a country out of a zone.",
    );
  const byProfile = new Map<string, string[]>();
  for (const { zone } of deletable)
    byProfile.set(zone.profileId, [...(byProfile.get(zone.profileId) ?? []), zone.zoneId]);
  for (const [profileId, zonesToDelete] of byProfile)
    await updateProfile(gateway, profileId, { zonesToDelete }, "Deleting the zone failed");
  return deletable.length;
}

async function fixWebhooks(gateway: AdminGateway): Promise<number> {
  const { subscriptions } = await readHealthFacts(gateway);
  for (const subscription of subscriptions) {
    const result = await gateway.request<{ webhookSubscriptionDelete: { userErrors: UserError[] } }>(
      WEBHOOK_SUBSCRIPTION_DELETE,
      { id: subscription.id },
    );
    refuse(`Deleting the ${subscription.topic} subscription failed`, result.webhookSubscriptionDelete.userErrors);
  }
  return subscriptions.length;
}

/**
 * The one-click fix of a health check. Each reads Shopify again first and sends only what is
 * still wrong, so a second click (or a retry after a failure) changes nothing more.
 */
export async function fixHealth(
  db: PrismaClient,
  gateway: AdminGateway,
  settings: PolicySettings,
  check: HealthCheckId,
  now = new Date(),
): Promise<string> {
  switch (check) {
    case "validation":
    case "discount":
    case "checkout-rules":
      await syncPolicy(gateway, settings, now).catch((error: Error) => {
        throw new HealthFixError("SHOPIFY_USER_ERROR", error.message);
      });
      return "Policy sync ran: the validation, the discount and their rules follow the saved settings.";
    case "delivery-rate": {
      const n = await fixDeliveryRate(gateway, settings);
      return `${n} rate${n === 1 ? "" : "s"} set to the flat rate.`;
    }
    case "delivery-zones": {
      const n = await fixDeliveryZones(gateway, settings);
      return `${n} zone${n === 1 ? "" : "s"} outside the allowed countries deleted.`;
    }
    case "webhooks": {
      const n = await fixWebhooks(gateway);
      return `${n} shop-scoped subscription${n === 1 ? "" : "s"} deleted.`;
    }
    case "reconciliation": {
      const queued = await reconcileOrders(db, gateway, now);
      return `Orders reconciled: ${queued} update${queued === 1 ? "" : "s"} queued.`;
    }
    default:
      throw new HealthFixError("NO_FIX", `"${check}" has no one-click fix.`);
  }
}

export const FIXABLE_CHECKS: readonly HealthCheckId[] = [
  "validation",
  "discount",
  "checkout-rules",
  "delivery-rate",
  "delivery-zones",
  "webhooks",
  "reconciliation",
];
