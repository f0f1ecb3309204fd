/**
 * Warranty and repair claims (WAR-1…5) end to end through the real routes: the customer-account
 * API (session tokens signed as Shopify signs them), the online-store page (app-proxy signature),
 * and the embedded admin's Warranty pages (admin session tokens), against the store emulator
 * speaking draftOrderCreate and draftOrderInvoiceSend. Date is faked to NOW for the process.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { presetSettings } from "../../app/policy";
import { signCustomerAccountToken } from "../emulator/customer-account";
import { draftOrdersOf } from "../emulator/resolvers/draft-orders";
import { createStore } from "../emulator/builders";
import { legacyId, type Node } from "../emulator/store";
import { routeShopTrafficTo } from "../emulator/shop-routing";
import { signProxyQuery } from "../emulator/storefront-proxy";
import { APP_SECRET, startAppHarness } from "../support/app-harness";
import { BROWSER_UA } from "../support/server";
import { customer, JPEG, storyOrder, T } from "./returns-portal-world";

const NOW = T("2026-12-01T17:00:00Z");
const store = createStore({ domain: "warranty-shop.myshopify.com", name: "Alluressories" });
const other = createStore({ domain: "warranty-other.myshopify.com", name: "Other Shop" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
let portal: { loader: Handler; action: Handler };
let proxyPage: { loader: Handler; action: Handler };
let detail: { loader: Handler; action: Handler };
let queue: { loader: Handler };
let ann: Node;
let bob: Node;
let noEmail: Node;
let stranger: Node;
const orders: Record<string, Node> = {};
let keys = 0;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  app = await startAppHarness(store, { otherStores: [other] });
  // The routes reach Shopify at https://{shop}, as in production: each shop's traffic goes to its emulator.
  for (const s of [store, other]) routeShopTrafficTo(s.domain, app.emulatorOf(s.domain).origin);
  await app.prisma.shop.create({ data: { domain: store.domain, settings: presetSettings("alluressories") as object } });
  await app.prisma.shop.create({ data: { domain: other.domain, settings: presetSettings("allu") as object } });
  for (const [shop, emulator] of [store, other].map((s) => [s.domain, app.emulatorOf(s.domain)] as const))
    await app.prisma.session.create({
      data: {
        id: `offline_${shop}`,
        shop,
        state: "",
        isOnline: false,
        scope: "write_orders,write_draft_orders",
        accessToken: emulator.installToken(),
      },
    });
  ann = customer(store, "Ann");
  bob = customer(store, "Bob");
  noEmail = customer(store, "Nomail");
  noEmail.email = "";
  stranger = customer(other, "Cleo");
  const delivered = (placed: string) => ({
    placedAt: T(placed),
    shippedAt: new Date(T(placed).getTime() + 86_400_000),
    deliveredAt: new Date(T(placed).getTime() + 4 * 86_400_000),
  });
  orders.gold = storyOrder(store, {
    customer: ann,
    items: [{ title: "Love Ring 18K Gold", priceCents: 150_000, tags: ["18K Gold"] }],
    ...delivered("2025-01-05T15:00:00Z"),
  });
  orders.silver = storyOrder(store, {
    customer: ann,
    items: [
      { title: "Silver Bracelet", priceCents: 20_000 },
      { title: "Silver Earrings", priceCents: 15_000 },
    ],
    ...delivered("2026-09-20T15:00:00Z"),
  });
  orders.old = storyOrder(store, {
    customer: ann,
    items: [{ title: "Pearl Necklace", priceCents: 30_000 }],
    ...delivered("2026-03-01T15:00:00Z"),
  });
  orders.noEmail = storyOrder(store, {
    customer: noEmail,
    items: [{ title: "Chain", priceCents: 9_000 }],
    ...delivered("2026-03-01T15:00:00Z"),
  });
  orders.undelivered = storyOrder(store, {
    customer: ann,
    items: [{ title: "Ring in transit", priceCents: 9_000 }],
    placedAt: T("2026-11-28T15:00:00Z"),
    shippedAt: T("2026-11-29T15:00:00Z"),
  });
  orders.elsewhere = storyOrder(other, {
    customer: stranger,
    items: [{ title: "Other shop ring", priceCents: 9_000 }],
    ...delivered("2026-11-01T15:00:00Z"),
  });
  for (const s of [store, other]) await app.emulatorOf(s.domain).webhooks.idle();
  await app.drain(NOW);
  store.setClock(NOW);
  other.setClock(NOW);
  portal = (await import("../../app/routes/api.portal.warranty")) as unknown as typeof portal;
  proxyPage = (await import("../../app/routes/apps.returns.orders.$orderId.warranty")) as unknown as typeof proxyPage;
  detail = (await import("../../app/routes/app.warranty.$id")) as unknown as typeof detail;
  queue = (await import("../../app/routes/app.warranty._index")) as unknown as typeof queue;
}, 120_000);
afterAll(async () => {
  await app?.close();
  vi.useRealTimers();
});

const tokenOf = (who: Node, shop = store.domain) =>
  signCustomerAccountToken({ shop, apiKey: "integration-key", secret: APP_SECRET, customerId: who.id });

const ORIGIN = "https://extensions.shopifycdn.com";
const lineOf = (order: Node, i = 0) => order.lineItems[i].id as string;

interface ClaimForm {
  orderId?: string;
  lineId?: string;
  issue?: string;
  note?: string;
  claimKey?: string;
  photos?: Array<{ name: string; bytes: Uint8Array; type?: string }>;
}

function claimBody(order: Node, form: ClaimForm = {}): FormData {
  const body = new FormData();
  body.set("orderId", form.orderId ?? order.id);
  body.set("claimKey", form.claimKey ?? `claim-key-${++keys}`);
  body.set("lineId", form.lineId ?? lineOf(order));
  body.set("issue", form.issue ?? "manufacturing_defect");
  body.set("note", form.note ?? "The clasp opened by itself");
  for (const photo of form.photos ?? [{ name: "clasp.jpg", bytes: JPEG }])
    body.append("photos", new Blob([new Uint8Array(photo.bytes)], { type: photo.type ?? "image/jpeg" }), photo.name);
  return body;
}

async function respond(run: () => Promise<unknown>): Promise<{ status: number; body: any }> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    if (thrown instanceof Response) result = thrown;
    else throw thrown;
  }
  if (result instanceof Response) {
    const text = await result.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* an HTML page or a sentence */
    }
    return { status: result.status, body };
  }
  const withInit = result as { type?: string; data?: unknown; init?: { status?: number } };
  if (withInit?.type === "DataWithResponseInit") return { status: withInit.init?.status ?? 200, body: withInit.data };
  return { status: 200, body: result };
}

/** The claim form posted by the customer-account extension (FormData, the shopper's session token). */
const fileClaim = (who: Node, order: Node, form: ClaimForm = {}, shop = store.domain) =>
  respond(() =>
    portal.action({
      request: new Request("https://app.example.com/api/portal/warranty", {
        method: "POST",
        headers: { Authorization: `Bearer ${tokenOf(who, shop)}`, Origin: ORIGIN, "User-Agent": BROWSER_UA },
        body: claimBody(order, form),
      }),
      params: {},
      context: {},
    }),
  );

const options = (who: Node, order: Node, shop = store.domain) =>
  respond(() =>
    portal.loader({
      request: new Request(`https://app.example.com/api/portal/warranty?orderId=${encodeURIComponent(order.id)}`, {
        headers: { Authorization: `Bearer ${tokenOf(who, shop)}`, Origin: ORIGIN, "User-Agent": BROWSER_UA },
      }),
      params: {},
      context: {},
    }),
  );

/** A staff member's request from the embedded admin of `shop` (its session token as a Bearer header). */
function adminRequest(path: string, shop = store.domain, body?: Record<string, string>) {
  return new Request(`https://policy-guard.example.com${path}`, {
    method: body ? "POST" : "GET",
    headers: { "user-agent": BROWSER_UA, authorization: `Bearer ${app.emulatorOf(shop).sessionToken()}` },
    ...(body ? { body: new URLSearchParams(body) } : {}),
  });
}

const staff = (id: string, body: Record<string, string>, shop = store.domain) =>
  respond(() =>
    detail.action({
      request: adminRequest(`/app/warranty/${id}?_data=routes%2Fapp.warranty.%24id`, shop, body),
      params: { id },
      context: {},
    }),
  );

const openDetail = (id: string, shop = store.domain) =>
  respond(() =>
    detail.loader({
      request: adminRequest(`/app/warranty/${id}?_data=routes%2Fapp.warranty.%24id`, shop),
      params: { id },
      context: {},
    }),
  );

const claimEvents = async (claimId: string) =>
  (await app.prisma.orderEvent.findMany({ where: { ref: claimId }, orderBy: { occurredAt: "asc" } })).map(
    (e) => e.kind,
  );

const counts = async () => ({
  claims: await app.prisma.warrantyClaim.count(),
  files: store.files.length,
  drafts: draftOrdersOf(store).drafts.length,
  invoices: draftOrdersOf(store).invoices.length,
});

describe("the shopper files a claim and reads the rule's decision at once", () => {
  it("18K gold at 23 months: covered (WAR-2), the photo a Shopify file, filed and decided on the order's timeline; staff approve the covered repair", async () => {
    const files = store.files.length;
    const answer = await fileClaim(ann, orders.gold!);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ covered: true, rule: "WAR-2", code: "COVERED", status: "open", photos: 1 });
    expect(answer.body.sentence).toBe(
      "Covered by the 24-month warranty (WAR-2). Send us the piece and we will repair it free of charge.",
    );
    expect(store.files.slice(files)).toEqual([expect.objectContaining({ __typename: "MediaImage" })]);
    const stored = await app.prisma.warrantyClaim.findUniqueOrThrow({ where: { id: answer.body.claimId } });
    expect(stored).toMatchObject({ shop: store.domain, customerId: ann.id, defect: "manufacturing_defect" });
    expect(await claimEvents(stored.id)).toEqual(["warranty_claim_filed", "warranty_decided"]);

    const page = await openDetail(stored.id);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ status: "open", covered: true, order: { name: orders.gold!.name } });
    const approved = await staff(stored.id, { intent: "approve", note: "" });
    expect(approved).toMatchObject({ status: 200, body: { ok: "Approved as a covered repair, free of charge." } });
    expect(await claimEvents(stored.id)).toEqual([
      "warranty_claim_filed",
      "warranty_decided",
      "warranty_repair_approved",
    ]);
    // Approving twice changes nothing more and says why.
    const again = await staff(stored.id, { intent: "approve", note: "" });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("This claim is already approved as a covered repair.");
    expect(draftOrdersOf(store).drafts).toHaveLength(0);
  });

  it("tarnishing is not covered (WAR-4) and a clasp defect at 2 months is (WAR-1); the same form sent twice files one claim", async () => {
    const tarnished = await fileClaim(ann, orders.silver!, { lineId: lineOf(orders.silver!, 1), issue: "tarnishing" });
    expect(tarnished.body).toMatchObject({ covered: false, rule: "WAR-4", code: "NOT_A_DEFECT" });
    expect(tarnished.body.sentence).toContain("(WAR-5)");

    const before = await counts();
    const first = await fileClaim(ann, orders.silver!, { claimKey: "double-submit-0001" });
    const second = await fileClaim(ann, orders.silver!, { claimKey: "double-submit-0001" });
    expect(first.body).toMatchObject({ covered: true, rule: "WAR-1", repeated: false });
    expect(second.body).toMatchObject({ claimId: first.body.claimId, repeated: true });
    expect(await counts()).toEqual({ ...before, claims: before.claims + 1, files: before.files + 1 });

    // The portal lists both claims; both items have one open, so neither can be claimed again now.
    const listed = await options(ann, orders.silver!);
    expect(listed.body).toMatchObject({ enabled: true, delivered: true });
    expect(listed.body.lines.map((l: { openClaim: boolean }) => l.openClaim)).toEqual([true, true]);
    const third = await fileClaim(ann, orders.silver!);
    expect(third.status).toBe(422);
    expect(third.body.error.message).toContain("already has a claim");
  });

  it("the online-store page (app proxy) shows the form and answers with the decision", async () => {
    const query = (customerId: number) =>
      signProxyQuery({
        query: new URLSearchParams(),
        shop: store.domain,
        customerId,
        pathPrefix: "/apps/returns",
        secret: APP_SECRET,
        at: NOW,
      });
    const id = String(legacyId(orders.old!.id));
    const url = `https://app.example.com/apps/returns/orders/${id}/warranty?${query(legacyId(ann.id))}`;
    const form = await respond(() =>
      proxyPage.loader({ request: new Request(url), params: { orderId: id }, context: {} }),
    );
    expect(form.status).toBe(200);
    expect(form.body).toContain('value="tarnishing"');
    // The order page offers the claim in a store with a warranty, and not in one without.
    const { loader: orderPage } = (await import("../../app/routes/apps.returns.orders.$orderId._index")) as unknown as {
      loader: Handler;
    };
    const offered = await respond(() =>
      orderPage({ request: new Request(url.replace("/warranty?", "?")), params: { orderId: id }, context: {} }),
    );
    expect(offered.body).toContain(`href="/apps/returns/orders/${id}/warranty"`);
    const elsewhereId = String(legacyId(orders.elsewhere!.id));
    const elsewhere = `https://app.example.com/apps/returns/orders/${elsewhereId}?${signProxyQuery({
      query: new URLSearchParams(),
      shop: other.domain,
      customerId: legacyId(stranger.id),
      pathPrefix: "/apps/returns",
      secret: APP_SECRET,
      at: NOW,
    })}`;
    const notOffered = await respond(() =>
      orderPage({ request: new Request(elsewhere), params: { orderId: elsewhereId }, context: {} }),
    );
    expect(notOffered.status).toBe(200);
    expect(notOffered.body).not.toContain("/warranty");
    const posted = await respond(() =>
      proxyPage.action({
        request: new Request(url, { method: "POST", body: claimBody(orders.old!) }),
        params: { orderId: id },
        context: {},
      }),
    );
    expect(posted.status).toBe(200);
    expect(posted.body).toContain("The 3-month warranty has ended (WAR-1).");
    expect(posted.body).toContain("quoted after we examine the piece (WAR-5).");
    // A signature made with another secret is refused before anything is read.
    const forged = `https://app.example.com/apps/returns/orders/${id}/warranty?${signProxyQuery({
      query: new URLSearchParams(),
      shop: store.domain,
      customerId: legacyId(ann.id),
      pathPrefix: "/apps/returns",
      secret: "not-the-secret",
      at: NOW,
    })}`;
    const refused = await respond(() =>
      proxyPage.action({
        request: new Request(forged, { method: "POST", body: claimBody(orders.old!) }),
        params: { orderId: id },
        context: {},
      }),
    );
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await app.prisma.warrantyClaim.count({ where: { orderId: orders.old!.id } })).toBe(1);
  });
});

describe("WAR-5: a paid repair quoted after examination, sent as a draft order invoice", () => {
  it("out of warranty: staff quote $85.00; one draft order, one invoice, however often the button is clicked", async () => {
    const claim = await app.prisma.warrantyClaim.findFirstOrThrow({ where: { orderId: orders.old!.id } });
    expect(claim).toMatchObject({ covered: false, code: "WARRANTY_EXPIRED", status: "open" });
    // Approving a claim the warranty does not cover is refused.
    expect((await staff(claim.id, { intent: "approve" })).status).toBe(422);

    const quote = { intent: "quote", price: "85.00", currency: "USD" };
    const clicks = await Promise.all([staff(claim.id, quote), staff(claim.id, quote)]);
    const later = await staff(claim.id, quote);
    for (const click of [...clicks, later]) expect([200, 409]).toContain(click.status);
    expect(later.status).toBe(200);
    expect(later.body.ok).toContain("$85.00");
    const { drafts, invoices } = draftOrdersOf(store);
    const mine = drafts.filter((d) => d.customer?.id === ann.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: "INVOICE_SENT", totalPriceSet: { shopMoney: { amount: "85.00" } } });
    expect(mine[0]!.lineItems.nodes[0]).toMatchObject({
      title: expect.stringMatching(/^Repair: Pearl Necklace \d+$/),
      quantity: 1,
    });
    expect(invoices.filter((i) => i.draftOrderId === mine[0]!.id)).toEqual([
      expect.objectContaining({ to: "ann@example.com" }),
    ]);
    const stored = await app.prisma.warrantyClaim.findUniqueOrThrow({ where: { id: claim.id } });
    expect(stored).toMatchObject({
      status: "repair_quoted",
      quoteCents: 8_500,
      quoteCurrency: "USD",
      draftOrderId: mine[0]!.id,
      invoiceSentAt: NOW,
    });
    expect(await claimEvents(claim.id)).toEqual([
      "warranty_claim_filed",
      "warranty_decided",
      "warranty_repair_quoted",
      "warranty_invoice_sent",
    ]);
  });

  it("a refused invoice is reported with Shopify's words and the draft order made; the retry reuses the draft and sends one invoice", async () => {
    const filed = await fileClaim(noEmail, orders.noEmail!, { issue: "wear_and_tear" });
    expect(filed.body).toMatchObject({ covered: false, rule: "WAR-4" });
    const quote = { intent: "quote", price: "40", currency: "USD" };
    const failed = await staff(filed.body.claimId, quote);
    expect(failed.status).toBe(502);
    expect(failed.body.error).toMatch(
      /^Draft order #D\d+ for \$40\.00 was made, but Shopify did not send its invoice: To can't be blank\./,
    );
    const draft = draftOrdersOf(store).drafts.find((d) => d.customer?.id === noEmail.id)!;
    expect(draft.status).toBe("OPEN");
    expect(await app.prisma.warrantyClaim.findUniqueOrThrow({ where: { id: filed.body.claimId } })).toMatchObject({
      status: "open",
      draftOrderId: draft.id,
      invoiceSentAt: null,
    });
    expect(await claimEvents(filed.body.claimId)).toContain("warranty_repair_quoted");
    expect(await claimEvents(filed.body.claimId)).not.toContain("warranty_invoice_sent");

    // Another price while that draft stands is refused rather than making a second draft.
    const changed = await staff(filed.body.claimId, { ...quote, price: "45" });
    expect(changed.status).toBe(400);
    // The merchant adds the email in Shopify; the same quote again sends the invoice for the same draft.
    draft.email = "nomail@example.com";
    const retried = await staff(filed.body.claimId, quote);
    expect(retried.status).toBe(200);
    expect(draftOrdersOf(store).drafts.filter((d) => d.customer?.id === noEmail.id)).toHaveLength(1);
    expect(draftOrdersOf(store).invoices.filter((i) => i.draftOrderId === draft.id)).toHaveLength(1);
  });

  it("a price that is not an amount, zero, or in another currency is refused and nothing is sent", async () => {
    const filed = await fileClaim(ann, orders.gold!, { issue: "lost_gemstone" });
    const before = await counts();
    for (const [price, currency, message] of [
      ["abc", "USD", "Enter the repair price as an amount, like 85.00, and its currency."],
      ["0", "USD", "Enter the repair price, more than zero, in the order's currency."],
      ["85.001", "USD", "Enter the repair price as an amount, like 85.00, and its currency."],
      ["85", "EUR", "Quote the repair in USD, the currency the order was paid in (not EUR)."],
    ] as const) {
      const refused = await staff(filed.body.claimId, { intent: "quote", price, currency });
      expect(refused, price).toMatchObject({ status: 400, body: { error: message } });
    }
    const declineBlank = await staff(filed.body.claimId, { intent: "decline", note: " " });
    expect(declineBlank.status).toBe(400);
    expect(await counts()).toEqual(before);
    const declined = await staff(filed.body.claimId, { intent: "decline", note: "The setting cannot be repaired." });
    expect(declined.status).toBe(200);
    expect(await claimEvents(filed.body.claimId)).toContain("warranty_claim_declined");
    // Who handled it is kept, from the admin session.
    const handled = await app.prisma.warrantyClaim.findUniqueOrThrow({ where: { id: filed.body.claimId } });
    expect(handled).toMatchObject({ status: "declined", staffNote: "The setting cannot be repaired." });
    expect(handled.decidedBy).toMatch(/^staff /);
  });
});

describe("refusals: another customer, another shop, no warranty, bad input", () => {
  it("Bob cannot file or read a claim on Ann's order: 404, the same as an order that does not exist, nothing created", async () => {
    const before = await counts();
    const theirs = await fileClaim(bob, orders.gold!);
    const none = await fileClaim(bob, orders.gold!, { orderId: "gid://shopify/Order/999999999" });
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(none.body);
    expect(theirs.body.error.code).toBe("NOT_FOUND");
    expect((await options(bob, orders.gold!)).status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it("staff of another shop cannot see or act on this shop's claims", async () => {
    const claim = await app.prisma.warrantyClaim.findFirstOrThrow({ where: { shop: store.domain, status: "open" } });
    const page = await openDetail(claim.id, other.domain);
    expect(page.status).toBe(404);
    for (const intent of ["approve", "decline"]) {
      const acted = await staff(claim.id, { intent, note: "not mine", price: "10", currency: "USD" }, other.domain);
      expect(acted.status, intent).toBe(404);
    }
    const quoted = await staff(claim.id, { intent: "quote", price: "10", currency: "USD" }, other.domain);
    expect(quoted.status).toBe(404);
    expect(await app.prisma.warrantyClaim.findUniqueOrThrow({ where: { id: claim.id } })).toMatchObject({
      status: "open",
    });
    const list = await respond(() =>
      queue.loader({
        request: adminRequest("/app/warranty?_data=routes%2Fapp.warranty._index", other.domain),
        params: {},
        context: {},
      }),
    );
    expect(list.body).toMatchObject({
      rows: [],
      counts: { open: 0, repair_approved: 0, repair_quoted: 0, declined: 0 },
    });
    const own = await respond(() =>
      queue.loader({
        request: adminRequest("/app/warranty?tab=open&_data=routes%2Fapp.warranty._index"),
        params: {},
        context: {},
      }),
    );
    expect(own.body.rows.map((r: { id: string }) => r.id)).toContain(claim.id);
  });

  it("a shop without a warranty offers no claim and refuses one with a sentence", async () => {
    const offered = await options(stranger, orders.elsewhere!, other.domain);
    expect(offered).toMatchObject({ status: 200, body: { enabled: false } });
    const before = await app.prisma.warrantyClaim.count();
    const refused = await fileClaim(stranger, orders.elsewhere!, {}, other.domain);
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toBe("This store does not take warranty claims online.");
    expect(draftOrdersOf(other).drafts).toHaveLength(0);
    expect(other.files).toHaveLength(0);
    expect(await app.prisma.warrantyClaim.count()).toBe(before);
  });

  it("bad input is named at its field and creates nothing", async () => {
    const before = await counts();
    const cases: Array<[ClaimForm, number, string]> = [
      [{ issue: "dropped-it" }, 422, "issue"],
      [{ photos: [] }, 422, "photos"],
      [
        { photos: [{ name: "notes.txt", bytes: new TextEncoder().encode("not a photo"), type: "text/plain" }] },
        422,
        "photos[0]",
      ],
      [{ lineId: lineOf(orders.gold!) }, 422, "lineId"],
      [{ note: "x".repeat(1001) }, 422, "note"],
      [{ claimKey: "" }, 422, "claimKey"],
    ];
    for (const [form, status, field] of cases) {
      const refused = await fileClaim(ann, orders.old!, { ...form, lineId: form.lineId ?? lineOf(orders.old!) });
      expect(refused.status, field).toBe(status);
      expect(refused.body.error.field, field).toBe(field);
    }
    const notDelivered = await fileClaim(ann, orders.undelivered!);
    expect(notDelivered.status).toBe(422);
    expect(notDelivered.body.error.message).toBe("A warranty claim can be filed once the order has been delivered.");
    expect(await counts()).toEqual(before);
  });
});
