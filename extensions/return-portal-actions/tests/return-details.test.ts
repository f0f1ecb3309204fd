// @vitest-environment jsdom
import { getExtension } from "@shopify/ui-extensions-tester";
import { waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import en from "../locales/en.default.json";
import ja from "../locales/ja.json";
import { backend, i18nFor, ORDER_ID, returnStatus, texts, unmount } from "./fixtures";

const extension = getExtension("customer-account.order-status.return-details.render-after");

beforeEach(() => {
  extension.setUp();
  extension.shopify.i18n = i18nFor(en, "en", extension.shopify.i18n);
  extension.shopify.returnId = "gid://shopify/Return/1";
  extension.shopify.order.value = { ...extension.shopify.order.value!, id: ORDER_ID };
});
afterEach(() => {
  unmount();
  extension.tearDown();
});

async function renderWith(views: unknown, status = 200) {
  const api = backend({ "/api/portal/status": { status, body: views } });
  extension.fetch = api.fetch as typeof fetch;
  await extension.render();
  await waitFor(() => expect(api.calls.length).toBe(1));
  return api;
}

const block = () => document.body.querySelector("[data-status]");

describe("return-portal-actions under a return: where it stands, its label, its deadlines, its refund", () => {
  it("asks for this order's returns and shows the one this block sits under", async () => {
    const api = await renderWith([
      returnStatus({ returnId: "gid://shopify/Return/9", status: "refunded" }),
      returnStatus(),
    ]);
    expect(api.calls[0]!.url).toContain(`/api/portal/status?orderId=${encodeURIComponent(ORDER_ID)}`);
    await waitFor(() => expect(block()?.getAttribute("data-status")).toBe("requested"));
    expect(texts("s-heading")).toEqual(["Return requested"]);
    expect(block()!.textContent).toContain("The store answers your request within one business day.");
  });

  it("label ready: the download link and the moment it is voided, and the arrival deadline", async () => {
    await renderWith([
      returnStatus({
        status: "approved",
        message: "Approved: print the label and ship the item.",
        label: {
          url: "https://labels.example/RL1.pdf",
          trackingNumber: "RL1",
          carrier: "USPS",
          status: "issued",
          issuedAt: "2026-12-02T15:00:00.000Z",
          voidsAt: "2026-12-04T15:00:00.000Z",
        },
        arrivalBy: "2026-12-22T04:59:59.999Z",
      }),
    ]);
    await waitFor(() => expect(document.body.querySelector("s-link")).not.toBeNull());
    expect(document.body.querySelector("s-link")!.getAttribute("href")).toBe("https://labels.example/RL1.pdf");
    expect(document.body.querySelector("s-link")!.textContent).toBe("Download your return label");
    expect(block()!.textContent).toContain("Ship it before Dec 4, 2026, 10:00 AM: the label is voided then.");
    expect(document.body.querySelector("[data-arrival]")!.textContent).toBe(
      "The package must reach us by Dec 21, 2026, 11:59 PM.",
    );
  });

  it("declined: the store's note", async () => {
    await renderWith([
      returnStatus({
        status: "declined",
        message: "The store declined this return.",
        decline: { reason: "OTHER", note: "The item was worn." },
      }),
    ]);
    await waitFor(() => expect(texts("s-heading")).toEqual(["Return declined"]));
    expect(document.body.querySelector("[data-decline]")!.textContent).toBe("The store's note: The item was worn.");
  });

  it("refunded: the amount and when it shows on the statement (RET-8)", async () => {
    await renderWith([
      returnStatus({
        status: "refunded",
        message: "Refunded.",
        refund: {
          amount: { amount: 43_360, currency: "USD" },
          refundedAt: "2026-12-10T15:00:00.000Z",
          visibleFrom: "2026-12-15T05:00:00.000Z",
          visibleBy: "2026-12-24T04:59:59.999Z",
        },
      }),
    ]);
    await waitFor(() => expect(document.body.querySelector("[data-refund]")).not.toBeNull());
    expect(document.body.querySelector("[data-refund]")!.textContent).toBe(
      "Refunded $433.60: it shows on your statement between Dec 15, 2026, 12:00 AM and Dec 23, 2026, 11:59 PM.",
    );
  });

  it("a return the app does not know: nothing", async () => {
    await renderWith([returnStatus({ returnId: "gid://shopify/Return/9" })]);
    expect(block()).toBeNull();
    expect(document.body.textContent).toBe("");
  });

  it("the backend cannot answer: says so instead of showing nothing", async () => {
    await renderWith({ error: { code: "SHOPIFY_UNAVAILABLE", message: "Try later." } }, 503);
    await waitFor(() => expect(document.body.textContent).toBe("The return's details cannot be shown right now."));
  });

  it("speaks Japanese", async () => {
    extension.shopify.i18n = i18nFor(ja, "ja", extension.shopify.i18n);
    await renderWith([returnStatus({ status: "in_transit" })]);
    await waitFor(() => expect(texts("s-heading")).toEqual(["返送中"]));
  });
});
