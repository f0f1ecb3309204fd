import { labelFileProblem, labelVoidsAt } from "../../policy/labels";
import { QueueError } from "../returns/queue-errors";
import { once, ownReturn } from "../returns/queue-steps.server";
import { nextLabelKey, resolveDeps, storeLabel, type LabelDeps } from "./label-steps.server";
import { attachLabelInShopify, readLabelFacts, type LabelFile } from "./shopify-label.server";
import type { IssuedReturnLabel } from "./issue-label.server";

export interface UploadedLabelInput {
  file: LabelFile;
  /** The tracking number printed on the label, when staff know it (then scans can be matched). */
  trackingNumber?: string | null;
}

/**
 * Staff's own label PDF for an approved return: checked (PDF only, within the size limit),
 * uploaded to Shopify and given to the shopper like a bought one, with the same RET-6 void
 * moment. Once-only per return and label, like a bought label.
 */
export async function uploadReturnLabel(
  shop: string,
  returnId: string,
  input: UploadedLabelInput,
  now: Date,
  options: LabelDeps = {},
): Promise<IssuedReturnLabel> {
  const problem = labelFileProblem(input.file);
  if (problem) throw new QueueError("BAD_REQUEST", problem.message);
  const trackingNumber = input.trackingNumber?.trim() || null;
  if (trackingNumber && !/^[A-Za-z0-9]{8,40}$/.test(trackingNumber))
    throw new QueueError("BAD_REQUEST", "A tracking number is 8 to 40 letters and digits, without spaces.");
  const deps = await resolveDeps(shop, options, { labels: false });
  const ret = await ownReturn(deps.db, shop, returnId);
  const live = ret.labels.find((l) => l.status !== "voided");
  if (live) throw new QueueError("INVALID_STATE", "This return already has a label; it can be replaced once it voids.");
  const key = nextLabelKey(ret);
  const result = await once(deps.db, shop, key, now, async () => {
    const facts = await readLabelFacts(deps, returnId);
    const reverseDeliveryId = await attachLabelInShopify(deps, shop, key, facts, {
      file: input.file,
      tracking: trackingNumber ? { number: trackingNumber, url: null } : null,
      now,
    });
    const voidsAt = labelVoidsAt(now, deps.settings);
    return storeLabel(
      deps,
      { shop, returnId, orderId: ret.orderId },
      { source: "uploaded", carrier: "uploaded", trackingNumber, reverseDeliveryId },
      { issuedAt: now, voidsAt },
    );
  });
  return { ...result, voidsAt: new Date(result.voidsAt), repeated: false };
}
