import { labelFileProblem, labelVoidsAt } from "../../policy/labels";
import { QueueError } from "../returns/queue-errors";
import { once, ownReturn, type ReturnWithFacts } from "../returns/queue-steps.server";
import { nextLabelKey, resolveDeps, storeLabel, type LabelDeps } from "./label-steps.server";
import { attachLabelInShopify, readLabelFacts, type LabelFile } from "./shopify-label.server";
import type { IssuedReturnLabel } from "./issue-label.server";
import { voidReplacedLabel } from "./void-replaced-label.server";

export interface UploadedLabelInput {
  file: LabelFile;
  /** The carrier printed on the label ("UPS"); "uploaded" when staff do not say. */
  carrier?: string | null;
  /** The tracking number printed on the label, when staff know it (then scans can be matched). */
  trackingNumber?: string | null;
  /**
   * "Send a new label": the shopper lost the live label (issued, never scanned). It is voided
   * (with the carrier when bought there) and recorded as voided; the new one replaces it.
   */
  replace?: boolean;
  /**
   * How many labels the return had when staff opened the page: the form's attempt key, so a
   * double click or a retry after success sends one label, never a second replacement.
   */
  seenLabels?: number;
}

/** A label still good for the parcel: issued, or already moving. */
const LIVE = new Set(["issued", "in_transit", "delivered"]);

function checkInput(input: UploadedLabelInput): { carrier: string; trackingNumber: string | null } {
  const problem = labelFileProblem(input.file);
  if (problem) throw new QueueError("BAD_REQUEST", problem.message);
  const trackingNumber = input.trackingNumber?.trim() || null;
  if (trackingNumber && !/^[A-Za-z0-9]{8,40}$/.test(trackingNumber))
    throw new QueueError("BAD_REQUEST", "A tracking number is 8 to 40 letters and digits, without spaces.");
  const carrier = input.carrier?.trim() || "uploaded";
  if (carrier.length > 40 || !/^[\p{L}\p{N} .&-]+$/u.test(carrier))
    throw new QueueError("BAD_REQUEST", "Name the carrier in at most 40 letters or digits (e.g. UPS, USPS, FedEx).");
  return { carrier, trackingNumber };
}

/** The live label a new one may replace (lost by the shopper, never scanned), or a refusal saying why not. */
function replaceable(ret: ReturnWithFacts, replace: boolean) {
  const live = ret.labels.find((l) => LIVE.has(l.status));
  if (!live) return null;
  if (!replace)
    throw new QueueError(
      "INVALID_STATE",
      "This return already has a label: send a new one only if the shopper lost it.",
    );
  if (live.status !== "issued" || live.firstScanAt)
    throw new QueueError(
      "INVALID_STATE",
      "The carrier has scanned the parcel already: it is on its way and needs no new label.",
    );
  return live;
}

/**
 * Staff's own label PDF for an approved return (or one whose label voided, RET-6): checked
 * (PDF only, within the size limit), uploaded to Shopify (RETURN_LABEL staged upload, then
 * reverseDeliveryCreateWithShipping) and given to the shopper like a bought one, with its own
 * RET-6 void moment counted from now. "Send a new label" also voids a live label the shopper
 * lost. Once-only per return and label number: a double click or retry sends one label.
 */
export async function uploadReturnLabel(
  shop: string,
  returnId: string,
  input: UploadedLabelInput,
  now: Date,
  options: LabelDeps = {},
): Promise<IssuedReturnLabel> {
  const { carrier, trackingNumber } = checkInput(input);
  const deps = await resolveDeps(shop, options, { labels: false });
  const ret = await ownReturn(deps.db, shop, returnId);
  const seen = input.seenLabels ?? ret.labels.length;
  const key = `label:${returnId}:${seen + 1}`;
  if (seen !== ret.labels.length) {
    // The page was older than the labels: the label it asked for may be the one already sent.
    const earlier = await deps.db.shopifyAction.findUnique({ where: { shop_key: { shop, key } } });
    if (earlier?.status !== "done")
      throw new QueueError("INVALID_STATE", "This return's labels changed since the page was opened: reload it.");
  } else {
    nextLabelKey(ret); // only an approved return, or one whose label voided, gets a label
  }
  const old = seen === ret.labels.length ? replaceable(ret, input.replace ?? false) : null;
  let ran = false;
  const result = await once(deps.db, shop, key, now, async () => {
    ran = true;
    const facts = await readLabelFacts(deps, returnId);
    const reverseDeliveryId = await attachLabelInShopify(deps, shop, key, facts, {
      file: input.file,
      tracking: trackingNumber ? { number: trackingNumber, url: null } : null,
      now,
    });
    // The new label is with the shopper: only now is the old one voided.
    if (old) await voidReplacedLabel(deps, old, now);
    return storeLabel(
      deps,
      { shop, returnId, orderId: ret.orderId },
      { source: "uploaded", carrier, trackingNumber, reverseDeliveryId },
      { issuedAt: now, voidsAt: labelVoidsAt(now, deps.settings) },
    );
  });
  return { ...result, voidsAt: new Date(result.voidsAt), repeated: !ran };
}
