// @vitest-environment jsdom
import { createNavigationHistoryEntry } from "@shopify/ui-extensions-tester";
import { waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { PAYMENT_CHANGE_SENTENCES } from "../../../app/policy/payment-change";
import { backend, cancelledOrder, ORDER_ID, returnOptions } from "../../return-portal-actions/tests/fixtures";
import { orderPageExtension } from "./order-page";

const extension = orderPageExtension();
const CART = "https://allu.example/cart/4101:1,4102:1";

const offer = (allowed: boolean) => ({
  orderId: ORDER_ID,
  orderName: "#1001",
  offer: allowed
    ? {
        allowed,
        rule: "CAN-4",
        code: "CANCEL_AND_REORDER",
        message: PAYMENT_CHANGE_SENTENCES.explain,
        ...PAYMENT_CHANGE_SENTENCES,
      }
    : { allowed, rule: "CAN-1", code: "WINDOW_CLOSED", message: "Closed (CAN-1).", explain: null, released: null },
});

async function open(allowed: boolean) {
  extension.navigation.currentEntry = createNavigationHistoryEntry({
    url: "extension:return-portal-page/customer-account.order.page.render/1/cancel",
  });
  const api = backend({
    "/api/portal/options": { body: returnOptions({ deliveredAt: null }) },
    "/api/portal/change-payment": () =>
      api.calls.at(-1)!.init.method === "POST"
        ? { body: { ...cancelledOrder(), rule: "CAN-4", message: "Order #1001 is cancelled.", cartUrl: CART } }
        : { body: offer(allowed) },
  });
  extension.fetch = api.fetch as typeof fetch;
  await extension.render();
  await waitFor(() => expect(document.body.querySelector("s-spinner")).toBeNull());
  return api;
}

const $ = (selector: string) => document.body.querySelector(selector);

describe("return-portal-page: change the payment method (CAN-4)", () => {
  it("inside the window: what it does and that the items are released, then the cart link", async () => {
    const api = await open(true);
    await waitFor(() => expect($("[data-payment-change]")).not.toBeNull());
    expect($("[data-payment-change]")!.textContent).toContain(PAYMENT_CHANGE_SENTENCES.explain);
    expect($("[data-payment-change]")!.textContent).toContain(PAYMENT_CHANGE_SENTENCES.released);
    $("[data-change-payment]")!.dispatchEvent(new Event("click"));
    await waitFor(() => expect($("[data-payment-changed]")).not.toBeNull());
    expect($("[data-cart]")!.getAttribute("href")).toBe(CART);
    const post = api.calls.find((c) => c.init.method === "POST")!;
    expect(JSON.parse(String(post.init.body))).toEqual({ orderId: ORDER_ID });
  });

  it("outside the window: not offered (the cancellation beside it says why)", async () => {
    const api = await open(false);
    await waitFor(() => expect(api.calls.some((c) => c.url.includes("/api/portal/change-payment"))).toBe(true));
    expect($("[data-payment-change]")).toBeNull();
    expect($("[data-change-payment]")).toBeNull();
  });
});
