import { ask, mutate, once } from "../returns/queue-steps.server";
import { QueueError } from "../returns/queue-errors";
import type { ResolvedDeps } from "./label-steps.server";
import {
  RETURN_LABEL_FACTS_QUERY,
  RETURN_LABEL_STAGED_UPLOAD,
  REVERSE_DELIVERY_CREATE_WITH_SHIPPING,
} from "./labels-documents";

/** RETURN_LABEL_FACTS_QUERY's answer. */
export interface LabelFacts {
  return: {
    id: string;
    status: string;
    order: {
      id: string;
      email: string | null;
      shippingAddress: {
        name: string | null;
        company: string | null;
        address1: string | null;
        address2: string | null;
        city: string | null;
        provinceCode: string | null;
        zip: string | null;
        countryCodeV2: string | null;
        phone: string | null;
      } | null;
    };
    reverseFulfillmentOrders: {
      nodes: Array<{
        id: string;
        status: string;
        lineItems: { nodes: Array<{ id: string; totalQuantity: number }> };
        reverseDeliveries: {
          nodes: Array<{ id: string; deliverable: { tracking?: { number: string | null } | null } | null }>;
        };
      }>;
    };
  } | null;
  location: {
    name: string;
    address: {
      address1: string | null;
      address2: string | null;
      city: string | null;
      provinceCode: string | null;
      zip: string | null;
      countryCode: string;
      phone: string | null;
    };
  } | null;
  shop: { name: string; email: string | null };
}

export interface LabelFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

interface StagedTarget {
  url: string;
  resourceUrl: string | null;
  parameters: Array<{ name: string; value: string }>;
}

/** What the label needs of the return in Shopify; a return Shopify no longer has is refused. */
export async function readLabelFacts(deps: ResolvedDeps, returnId: string): Promise<LabelFacts> {
  const facts = await ask<LabelFacts>(deps.gateway, RETURN_LABEL_FACTS_QUERY, { id: returnId }, "read the return");
  if (!facts.return) throw new QueueError("NOT_FOUND", "Shopify no longer has this return.");
  return facts;
}

/** Upload the file to a RETURN_LABEL staged target: the URL Shopify takes as the label's fileUrl. */
async function stageLabel(deps: ResolvedDeps, file: LabelFile): Promise<string> {
  const staged = await mutate<{ stagedTargets: StagedTarget[]; userErrors: [] }>(
    deps.gateway,
    RETURN_LABEL_STAGED_UPLOAD,
    {
      input: [
        {
          resource: "RETURN_LABEL",
          filename: file.filename,
          mimeType: file.contentType,
          httpMethod: "PUT",
          fileSize: String(file.bytes.length),
        },
      ],
    },
    "stagedUploadsCreate",
    "prepare the label upload",
  );
  const target = staged.stagedTargets[0]!;
  // A PUT target takes its parameters as request headers.
  const headers = Object.fromEntries(target.parameters.map((p) => [p.name, p.value]));
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: "PUT",
      headers: { "Content-Type": file.contentType, ...headers },
      body: Buffer.from(file.bytes),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new QueueError("SHOPIFY_UNAVAILABLE", "The label file could not be uploaded to Shopify. Try again.");
  }
  await response.arrayBuffer();
  if (!response.ok)
    throw new QueueError(
      "SHOPIFY_UNAVAILABLE",
      `Shopify refused the label upload (HTTP ${response.status}). Try again.`,
    );
  return target.resourceUrl ?? target.url;
}

/**
 * The label and its tracking number on the return's open reverse fulfillment order
 * (reverseDeliveryCreateWithShipping), once per `key`; a delivery Shopify already holds
 * with this tracking number (an answer that was lost) counts as done.
 */
export async function attachLabelInShopify(
  deps: ResolvedDeps,
  shop: string,
  key: string,
  facts: LabelFacts,
  input: { file: LabelFile; tracking: { number: string; url: string | null } | null; now: Date },
): Promise<string> {
  const rfo = facts.return?.reverseFulfillmentOrders.nodes.find((r) => r.status === "OPEN");
  if (!rfo)
    throw new QueueError("INVALID_STATE", "The return has no open reverse fulfillment in Shopify: approve it first.");
  const number = input.tracking?.number;
  const alreadyAttached = async () => {
    if (!number) return null;
    const fresh = await ask<LabelFacts>(
      deps.gateway,
      RETURN_LABEL_FACTS_QUERY,
      { id: facts.return!.id },
      "read the return",
    );
    const found = fresh.return?.reverseFulfillmentOrders.nodes
      .flatMap((r) => r.reverseDeliveries.nodes)
      .find((d) => d.deliverable?.tracking?.number === number);
    return found?.id ?? null;
  };
  return once(
    deps.db,
    shop,
    `${key}:delivery`,
    input.now,
    async () => {
      const fileUrl = await stageLabel(deps, input.file);
      const payload = await mutate<{ reverseDelivery: { id: string } | null; userErrors: [] }>(
        deps.gateway,
        REVERSE_DELIVERY_CREATE_WITH_SHIPPING,
        {
          reverseFulfillmentOrderId: rfo.id,
          reverseDeliveryLineItems: rfo.lineItems.nodes.map((l) => ({
            reverseFulfillmentOrderLineItemId: l.id,
            quantity: l.totalQuantity,
          })),
          labelInput: { fileUrl },
          trackingInput: input.tracking ? { number: input.tracking.number, url: input.tracking.url } : null,
          notifyCustomer: true,
        },
        "reverseDeliveryCreateWithShipping",
        "give the shopper the label",
      );
      return payload.reverseDelivery!.id;
    },
    alreadyAttached,
  );
}
