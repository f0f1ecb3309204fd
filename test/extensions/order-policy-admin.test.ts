// @vitest-environment jsdom
import { join } from "node:path";
import { getExtension } from "@shopify/ui-extensions-tester";
import { waitFor } from "@testing-library/preact";
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OrderPolicyView } from "../../app/services/orders/order-policy-view.server";
import en from "../../extensions/order-policy-admin/locales/en.default.json";
import { ROOT } from "../support/server";

const extension = getExtension("admin.order-details.block.render", {
  configSearchDir: join(ROOT, "extensions/order-policy-admin"),
});

/** The extension's own English strings, as Shopify's admin gives them: a missing key fails the test. */
function translate(key: string, params: Record<string, string> = {}): string {
  const text = (en as Record<string, string>)[key];
  if (text === undefined) throw new Error(`No translation for "${key}"`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => params[name] ?? `{{missing ${name}}}`);
}

/** The backend's view of #1008: paid 8 days ago, not shipped, the ship-by date passed (TML-2). */
function view(overrides: Partial<OrderPolicyView> = {}): OrderPolicyView {
  return {
    order: { id: "gid://shopify/Order/1008", name: "#1008", state: "processing" },
    timeline: [
      { kind: "placed", label: "Placed", at: "2026-11-24T15:00:00.000Z", atText: "Nov 24, 2026, 10:00 AM" },
      { kind: "paid", label: "Paid", at: "2026-11-24T15:00:00.000Z", atText: "Nov 24, 2026, 10:00 AM" },
    ],
    deadlines: [
      {
        key: "ship_by",
        rule: "TML-2",
        label: "Ship by",
        at: "2026-11-30T05:00:00.000Z",
        atText: "Nov 30, 2026, 12:00 AM",
        overdue: true,
        projected: false,
      },
      {
        key: "delivery_expected_by",
        rule: "TML-3",
        label: "Delivery expected by",
        at: "2026-12-08T05:00:00.000Z",
        atText: "Dec 8, 2026, 12:00 AM",
        overdue: false,
        projected: true,
      },
    ],
    alerts: [{ kind: "late_to_ship", rule: "TML-2", label: "Late to ship", sinceText: "Nov 30, 2026, 12:00 AM" }],
    lines: [
      {
        id: "gid://shopify/LineItem/1",
        title: "Rolex Datejust",
        quantity: 1,
        returnable: false,
        verdicts: [
          {
            rule: "RET-1",
            code: "NOT_DELIVERED",
            message: "A return can be requested once tracking shows the order delivered.",
          },
        ],
        windowEndsText: null,
      },
      {
        id: "gid://shopify/LineItem/2",
        title: "Hermès scarf",
        quantity: 1,
        returnable: false,
        verdicts: [
          { rule: "RET-2", code: "FINAL_SALE", message: "Sale items are final sale and cannot be returned." },
          { rule: "RET-3", code: "NOT_CARD", message: "Returns are accepted only for orders paid by card." },
        ],
        windowEndsText: null,
      },
    ],
    cancellation: {
      allowed: false,
      rule: "CAN-1",
      message: "Orders can be cancelled only within 2 hours of the order confirmation.",
      windowEndsText: "Nov 24, 2026, 12:00 PM",
    },
    ...overrides,
  };
}

const answer = (status: number, body: unknown) =>
  vi
    .fn()
    .mockResolvedValue(new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }));
const text = (selector: string) => document.body.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim();
const items = (section: string) =>
  [...document.body.querySelectorAll(`[data-section="${section}"] s-list-item`)].map((li) =>
    li.textContent?.replace(/\s+/g, " ").trim(),
  );

beforeEach(() => {
  extension.setUp();
  extension.shopify.i18n.translate = translate as typeof extension.shopify.i18n.translate;
  extension.shopify.data = { ...extension.shopify.data, selected: [{ id: "gid://shopify/Order/1008" }] };
});
afterEach(() => {
  // Each test is a fresh page: unmount, so Preact does not carry the last test's state into the next render.
  render(null, document.body);
  extension.tearDown();
});

describe("order-policy-admin: the order-details block in Shopify's admin", () => {
  it("asks the app's backend for this order, by a relative URL (Shopify adds the ID token)", async () => {
    extension.fetch = answer(200, { status: "ready", view: view() });
    await extension.render();
    await waitFor(() => expect(extension.fetch).toHaveBeenCalledWith("/api/admin/orders/1008"));
  });

  it("loading: a spinner while the backend answers", async () => {
    extension.fetch = vi.fn(() => new Promise<Response>(() => {}));
    await extension.render();
    await waitFor(() =>
      expect(document.body.querySelector("s-admin-block s-spinner")?.getAttribute("accessibilitylabel")).toBe(
        "Loading the order's policy",
      ),
    );
  });

  it("error: the backend's sentence in a critical banner, and a retry that asks again", async () => {
    extension.fetch = answer(404, { error: "This shop has no such order." });
    await extension.render();
    await waitFor(() => expect(text("s-banner")).toContain("This shop has no such order."));
    expect(document.body.querySelector("s-banner")?.getAttribute("tone")).toBe("critical");
    extension.fetch = answer(200, { status: "pending" });
    (document.body.querySelector("s-banner s-button") as HTMLElement).click();
    await waitFor(() => expect(text('[data-state="pending"]')).toMatch(/has not recorded this order yet/));
    expect(extension.fetch).toHaveBeenCalledTimes(1);
  });

  it("error: a network failure is shown, not a blank block", async () => {
    extension.fetch = vi.fn().mockRejectedValue(new TypeError("Failed to fetch"));
    await extension.render();
    await waitFor(() => expect(text("s-banner")).toContain("Failed to fetch"));
  });

  it("no data yet: the order exists but the app has not recorded it", async () => {
    extension.fetch = answer(200, { status: "pending" });
    await extension.render();
    await waitFor(() =>
      expect(text('[data-state="pending"]')).toBe(
        "Policy Guard has not recorded this order yet; it appears here within a minute of Shopify telling the app.",
      ),
    );
    expect(document.body.querySelector('[data-section="deadlines"]')).toBeNull();
  });

  it("timeline with deadlines: the next deadlines with their rules, expected ones marked, and the events", async () => {
    extension.fetch = answer(200, {
      status: "ready",
      view: view({ alerts: [], deadlines: view().deadlines.slice(1) }),
    });
    await extension.render();
    await waitFor(() =>
      expect(items("deadlines")).toEqual(["TML-3 Delivery expected by: Dec 8, 2026, 12:00 AM (expected)"]),
    );
    expect(items("timeline")).toEqual(["Placed: Nov 24, 2026, 10:00 AM", "Paid: Nov 24, 2026, 10:00 AM"]);
    expect(document.body.querySelector('[data-overdue="true"]')).toBeNull();
    expect(document.body.querySelector('[data-section="alerts"]')).toBeNull();
  });

  it("overdue: a passed deadline comes first with a critical Overdue badge", async () => {
    extension.fetch = answer(200, { status: "ready", view: view() });
    await extension.render();
    await waitFor(() => expect(items("deadlines")[0]).toBe("Overdue TML-2 Ship by: Nov 30, 2026, 12:00 AM"));
    expect(document.body.querySelector('[data-overdue="true"] s-badge')?.getAttribute("tone")).toBe("critical");
  });

  it("alerts: open alerts with their rule and since when, in a warning banner", async () => {
    extension.fetch = answer(200, { status: "ready", view: view() });
    await extension.render();
    await waitFor(() => expect(items("alerts")).toEqual(["TML-2 Late to ship, since Nov 30, 2026, 12:00 AM"]));
    expect(document.body.querySelector('[data-section="alerts"]')?.getAttribute("tone")).toBe("warning");
  });

  it("return verdicts per line: final sale and card-only each by rule; a returnable line with its window", async () => {
    const lines = view().lines;
    lines[0] = {
      ...lines[0]!,
      returnable: true,
      verdicts: [
        { rule: "RET-1", code: "RETURNABLE", message: "This item can be returned within 14 days of delivery." },
      ],
      windowEndsText: "Dec 14, 2026, 11:59 PM",
    };
    extension.fetch = answer(200, { status: "ready", view: view({ lines }) });
    await extension.render();
    await waitFor(() =>
      expect(items("returns")).toEqual([
        "Returnable Rolex Datejust: RET-1 This item can be returned within 14 days of delivery. Window ends Dec 14, 2026, 11:59 PM",
        "Not returnable Hermès scarf: RET-2 Sale items are final sale and cannot be returned. RET-3 Returns are accepted only for orders paid by card.",
      ]),
    );
  });

  it("not cancellable: the rule and the reason", async () => {
    extension.fetch = answer(200, { status: "ready", view: view() });
    await extension.render();
    await waitFor(() =>
      expect(text('[data-section="cancellation"]')).toBe(
        "Not cancellable (CAN-1): Orders can be cancelled only within 2 hours of the order confirmation.",
      ),
    );
  });

  it("cancellable: the cancellation deadline", async () => {
    const cancellation = { allowed: true, rule: "CAN-1", message: "In time.", windowEndsText: "Dec 2, 2026, 12:30 PM" };
    extension.fetch = answer(200, {
      status: "ready",
      view: view({ cancellation: cancellation as OrderPolicyView["cancellation"] }),
    });
    await extension.render();
    await waitFor(() =>
      expect(text('[data-section="cancellation"]')).toBe("Cancellable until Dec 2, 2026, 12:30 PM (CAN-1)"),
    );
  });
});
