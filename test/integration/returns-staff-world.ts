import type { PolicySettings, ReturnReason } from "../../app/policy";
import type { PhotoRecord, ShopifyReturn } from "../../app/services/returns/return-record.server";
import { requestReturn } from "../emulator/actions/returns";
import { oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { cents } from "../emulator/money";
import type { EmulatedStore, Node } from "../emulator/store";
import type { startAppHarness } from "../support/app-harness";

type App = Awaited<ReturnType<typeof startAppHarness>>;

/**
 * A one-of-a-kind item's order, delivered 6 days after `placedAt`, and its return requested at
 * `requestedAt` as the portal makes it: Shopify's returnRequest, then the app's own record
 * (reason, RET-7 fee decided then, claim photos).
 */
export async function portalReturn(
  app: App,
  store: EmulatedStore,
  input: {
    placedAt: Date;
    requestedAt: Date;
    reason: ReturnReason;
    feeCents: number;
    settings: PolicySettings;
    priceCents?: number;
    photos?: PhotoRecord[];
  },
): Promise<{ order: Node; ret: Node }> {
  const customer = shopper(store, { firstName: "Ada", lastName: "Byron", email: `ada+${store.orders.length}@x.com` });
  const order = orderAt(store, {
    customer,
    items: [oneOfAKind(store, { title: `Item ${store.orders.length}`, priceCents: input.priceCents ?? 45_000 })],
    stage: "delivered",
    placedAt: input.placedAt,
    deliveredAfterHours: 24 * 6,
  });
  store.setClock(null);
  await app.emulatorOf(store.domain).webhooks.idle();
  await app.drain(input.requestedAt);
  const fli = ((order.fulfillments as Node[])[0]!.fulfillmentLineItems as Node[])[0]!;
  const returnReason = input.reason === "change_of_mind" ? "UNWANTED" : "DEFECTIVE";
  const ret = requestReturn(
    store,
    order,
    [{ fulfillmentLineItemId: fli.id, quantity: 1, returnReason }],
    input.requestedAt,
  );
  const { RETURN_QUERY } = await import("../../app/services/returns/returns-documents");
  const { withOrders } = await import("../../app/services/returns/queue-steps.server");
  const { recordRequestedReturn } = await import("../../app/services/returns/return-record.server");
  const gateway = await app.gateway(store.domain);
  const shopifyReturn = (await gateway.request<{ return: ShopifyReturn }>(RETURN_QUERY, { id: ret.id })).return;
  const lineFacts = new Map(
    (order.lineItems as Node[]).map((li) => [
      li.id as string,
      { unitPriceCents: cents(li.discountedUnitPriceSet.shopMoney.amount), unitTaxCents: 0 },
    ]),
  );
  await withOrders(app.prisma, store.domain, input.requestedAt, (orders) =>
    recordRequestedReturn(orders, {
      shop: store.domain,
      ret: shopifyReturn,
      source: "portal",
      reason: input.reason,
      feeCents: input.feeCents,
      currency: "USD",
      lineFacts,
      photos: input.photos,
      settings: input.settings,
      eventSource: "portal",
    }),
  );
  return { order, ret };
}

/** The error an action was refused with (the test fails when it was not refused). */
export async function refusal<E = Error & { code: string }>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error("expected the action to be refused");
}
