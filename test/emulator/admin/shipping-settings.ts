import type { IncomingMessage, ServerResponse } from "node:http";
import { cents, decimal } from "../money";
import type { EmulatedStore, Node } from "../store";

/**
 * The emulated admin's Settings › Shipping and delivery: the general profile's rates, each
 * price editable, as a merchant changes them by hand (and so drifts from the policy's SHP-2).
 */
const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

function methods(store: EmulatedStore): Node[] {
  return store.deliveryProfiles.flatMap((p) =>
    (p.profileLocationGroups as Node[]).flatMap((g) =>
      (g.locationGroupZones as Node[]).flatMap((z) => z.methodDefinitions as Node[]),
    ),
  );
}

function page(store: EmulatedStore, saved: boolean): string {
  const rows = methods(store)
    .map(
      (m) => `<li><label>${escape(m.name)} <input name="${escape(m.id)}" aria-label="${escape(m.name)} price"
        value="${decimal(cents(m.rateProvider.price.amount))}"></label></li>`,
    )
    .join("");
  return `<!doctype html><html><head><title>Shipping and delivery · ${escape(store.shop.name)}</title></head>
<body><h1>Shipping and delivery</h1>${saved ? "<p role=status>Saved</p>" : ""}
<form method="post"><ul>${rows}</ul><button type="submit">Save</button></form></body></html>`;
}

/** Serves GET and POST /admin/settings/shipping; false for any other request. */
export async function shippingSettings(
  store: EmulatedStore,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const path = new URL(req.url ?? "/", "http://emulator").pathname;
  if (path !== "/admin/settings/shipping") return false;
  let saved = false;
  if (req.method === "POST") {
    let body = "";
    for await (const chunk of req) body += chunk;
    for (const [id, price] of new URLSearchParams(body)) {
      const method = methods(store).find((m) => m.id === id);
      if (method && /^\d+(\.\d{1,2})?$/.test(price))
        method.rateProvider.price = { amount: decimal(cents(price)), currencyCode: store.currency };
    }
    saved = true;
  }
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  res.end(page(store, saved));
  return true;
}
