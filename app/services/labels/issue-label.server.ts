import { labelVoidsAt } from "../../policy/labels";
import { QueueError } from "../returns/queue-errors";
import { once, ownReturn } from "../returns/queue-steps.server";
import { CarrierError, DEFAULT_RETURN_PARCEL, type PostalAddress } from "./label-service.server";
import { configuredLabelService } from "./easypost-labels.server";
import { nextLabelKey, resolveDeps, storeLabel, type LabelDeps, type ResolvedDeps } from "./label-steps.server";
import { attachLabelInShopify, readLabelFacts, type LabelFacts } from "./shopify-label.server";

export interface IssuedReturnLabel {
  labelId: string;
  trackingNumber: string | null;
  voidsAt: Date;
  /** True when an earlier attempt had already issued it (double click, retry). */
  repeated: boolean;
}

type MailingAddress = NonNullable<NonNullable<LabelFacts["return"]>["order"]["shippingAddress"]>;

function shopperAddress(a: MailingAddress, email: string | null): PostalAddress {
  return {
    name: a.name ?? "Customer",
    company: a.company,
    street1: a.address1 ?? "",
    street2: a.address2,
    city: a.city ?? "",
    state: a.provinceCode ?? "",
    zip: a.zip ?? "",
    country: a.countryCodeV2 ?? "US",
    phone: a.phone,
    email,
  };
}

function storeAddress(facts: LabelFacts): PostalAddress | null {
  const a = facts.location?.address;
  if (!a?.address1 || !a.city || !a.zip) return null;
  return {
    name: facts.shop.name,
    company: facts.location!.name,
    street1: a.address1,
    street2: a.address2,
    city: a.city,
    state: a.provinceCode ?? "",
    zip: a.zip,
    country: a.countryCode,
    phone: a.phone,
    email: facts.shop.email,
  };
}

/** The label file as the carrier serves it. */
async function downloadLabel(url: string): Promise<{ filename: string; contentType: string; bytes: Uint8Array }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  } catch {
    throw new CarrierError(
      "CARRIER_UNAVAILABLE",
      "The label file could not be downloaded from the carrier. Try again.",
    );
  }
  if (!response.ok)
    throw new CarrierError(
      "CARRIER_UNAVAILABLE",
      `The carrier answered HTTP ${response.status} for the label file. Try again.`,
    );
  return {
    filename: "return-label.pdf",
    contentType: "application/pdf",
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}

/** Buy the label once: the shipment is created once per attempt key, and buying re-reads it first. */
async function buyLabel(deps: ResolvedDeps, shop: string, key: string, facts: LabelFacts, now: Date) {
  const ret = facts.return!;
  const address = ret.order.shippingAddress;
  if (!address?.address1)
    throw new QueueError("BAD_REQUEST", "The order has no shipping address to send the return label from.");
  const store = storeAddress(facts);
  if (!store)
    throw new QueueError(
      "BAD_REQUEST",
      "The shop's location has no full address (Settings → Locations): the label needs one to return to.",
    );
  const { shipmentId } = await once(deps.db, shop, `${key}:shipment`, now, () =>
    deps.labels.createReturnShipment({
      reference: ret.id,
      shopper: shopperAddress(address, ret.order.email),
      store,
      parcel: DEFAULT_RETURN_PARCEL,
    }),
  );
  return deps.labels.buyLabel(shipmentId);
}

/**
 * RET-6 on approval: buy the prepaid return label from the carrier, upload it to Shopify
 * (staged RETURN_LABEL upload, then reverseDeliveryCreateWithShipping with the tracking
 * number) so the shopper sees it, store it with its void moment, record "label issued"
 * and the label_void / return_arrival deadlines. Once-only per return and label: a retry
 * or double click after any step failed resumes without buying or attaching twice.
 */
export async function issueReturnLabel(
  shop: string,
  returnId: string,
  now: Date,
  options: LabelDeps = {},
): Promise<IssuedReturnLabel> {
  const deps = await resolveDeps(shop, options, { labels: true });
  const ret = await ownReturn(deps.db, shop, returnId);
  const live = ret.labels.find((l) => l.status !== "voided");
  if (live) return { labelId: live.id, trackingNumber: live.trackingNumber, voidsAt: live.voidsAt, repeated: true };
  const key = nextLabelKey(ret);
  const result = await once(deps.db, shop, key, now, async () => {
    const facts = await readLabelFacts(deps, returnId);
    const bought = await buyLabel(deps, shop, key, facts, now);
    const file = await downloadLabel(bought.labelUrl);
    const reverseDeliveryId = await attachLabelInShopify(deps, shop, key, facts, {
      file,
      tracking: { number: bought.trackingNumber, url: bought.trackingUrl },
      now,
    });
    const voidsAt = labelVoidsAt(now, deps.settings);
    return storeLabel(
      deps,
      { shop, returnId, orderId: ret.orderId },
      {
        source: "carrier",
        carrier: `${deps.labels.provider}:${bought.carrier}`,
        carrierShipmentId: bought.shipmentId,
        trackingNumber: bought.trackingNumber,
        labelUrl: bought.labelUrl,
        reverseDeliveryId,
      },
      { issuedAt: now, voidsAt },
    );
  });
  return { ...result, voidsAt: new Date(result.voidsAt), repeated: false };
}

/** The queue's entry point (approve-return.server.ts `IssueLabel`). */
export const issueLabel = ({ shop, returnId, now }: { shop: string; returnId: string; now: Date }) =>
  issueReturnLabel(shop, returnId, now);

/** `issueLabel` when a carrier is configured; undefined when staff upload labels themselves. */
export const labelIssuer = () => (configuredLabelService() ? issueLabel : undefined);
