import type { PrismaClient } from "@prisma/client";
import type { PolicySettings, ReturnReason } from "../../policy";
import type { AdminGateway } from "../shopify/admin-gateway.server";
import type { Verdict } from "./portal-types";
import { ensureFacts, type StoredOrder } from "./return-facts.server";
import { optionsFromFacts, storedReturnable } from "./return-options.server";
import { reasonFromShopify, type ShopifyReturn } from "./return-record.server";
import { NATIVE_RETURN_DECLINE_MUTATION } from "./returns-documents";
import { onceOnly } from "./shopify-action.server";

export interface NativeReturnCheck {
  /** Shopify's return after the check (declined when it was). */
  ret: ShopifyReturn;
  reason: ReturnReason;
  /** What blocks it, line by line (empty: it keeps to the policy). */
  blocked: Array<{ lineId: string; verdict: Verdict }>;
  declined: boolean;
}

/** Shopify's decline reasons: final sale and a closed window have their own; the rest is OTHER. */
function declineReasonFor(blocked: NativeReturnCheck["blocked"]): "FINAL_SALE" | "RETURN_PERIOD_ENDED" | "OTHER" {
  const first = blocked[0]!.verdict;
  if (first.code === "FINAL_SALE") return "FINAL_SALE";
  if (/WINDOW_CLOSED/.test(first.code)) return "RETURN_PERIOD_ENDED";
  return "OTHER";
}

/**
 * A return Shopify created outside the app (native self-serve returns) is checked against the
 * same rules, as of when it was requested; one that breaks them is declined with the policy's
 * sentence as the note, when `returns.declineIneligibleNative` is on. Shopify's return is
 * changed once, whatever the number of times the webhook is applied.
 */
export async function checkNativeReturn(
  db: PrismaClient,
  gateway: AdminGateway,
  shop: string,
  order: StoredOrder,
  ret: ShopifyReturn,
  settings: PolicySettings,
): Promise<NativeReturnCheck> {
  const reason = reasonFromShopify(ret.returnLineItems.nodes.map((l) => l.returnReason));
  const facts = await ensureFacts(shop, order, settings, { db, gateway: async () => gateway });
  const requestedAt = new Date(ret.createdAt);
  const options = optionsFromFacts(facts, requestedAt, storedReturnable(facts));
  const blocked = ret.returnLineItems.nodes.flatMap((line) => {
    const lineId = line.fulfillmentLineItem?.lineItem.id ?? "";
    const verdict = options.lines.find((l) => l.lineId === lineId)?.reasons.find((r) => r.reason === reason);
    if (!verdict)
      return [
        {
          lineId,
          verdict: {
            allowed: false,
            rule: "RET-1" as const,
            code: "UNKNOWN_LINE",
            message: "This item is not part of the order.",
          },
        },
      ];
    return verdict.allowed ? [] : [{ lineId, verdict: verdict.blockedBy[0] ?? verdict }];
  });
  if (!blocked.length || !settings.returns.declineIneligibleNative || ret.status !== "REQUESTED")
    return { ret, reason, blocked, declined: false };

  const note = [...new Set(blocked.map((b) => b.verdict.message))].join(" ").slice(0, 500);
  const declined = await onceOnly(
    shop,
    `decline-native:${ret.id}`,
    async () => {
      const answer = await gateway.request<{
        returnDeclineRequest: {
          return: ShopifyReturn | null;
          userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
        };
      }>(NATIVE_RETURN_DECLINE_MUTATION, {
        input: { id: ret.id, declineReason: declineReasonFor(blocked), declineNote: note, notifyCustomer: true },
      });
      const { return: after, userErrors } = answer.returnDeclineRequest;
      // Staff may have decided first: Shopify's state is then the one to keep.
      if (userErrors.some((e) => e.code === "INVALID_STATE")) return null;
      if (userErrors.length || !after)
        throw new Error(`Shopify refused to decline return ${ret.id}: ${userErrors.map((e) => e.message).join(" ")}`);
      return after;
    },
    { db },
  );
  return { ret: declined ?? ret, reason, blocked, declined: Boolean(declined) };
}
