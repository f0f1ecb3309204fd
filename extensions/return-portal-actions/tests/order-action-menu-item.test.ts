// @vitest-environment jsdom
import { getExtension } from "@shopify/ui-extensions-tester";
import { waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import en from "../locales/en.default.json";
import ja from "../locales/ja.json";
import { APP_URL } from "../src/portal-client";
import { backend, i18nFor, ORDER_ID, returnOptions, unmount } from "./fixtures";

const extension = getExtension("customer-account.order.action.menu-item.render");

beforeEach(() => {
  extension.setUp();
  extension.shopify.i18n = i18nFor(en, "en", extension.shopify.i18n);
  extension.shopify.orderId = ORDER_ID;
});
afterEach(() => {
  unmount();
  extension.tearDown();
});

const button = () => document.body.querySelector("s-button");
/** Lets the backend's answer arrive and render (or not). */
const settled = async (calls: unknown[]) => waitFor(() => expect(calls.length).toBe(1));

async function renderWith(actions: { requestReturn: boolean; reportProblem: boolean; cancel: boolean }, status = 200) {
  const api = backend({
    "/api/portal/options": {
      status,
      body: status === 200 ? returnOptions({ actions }) : { error: { code: "NOT_FOUND", message: "No." } },
    },
  });
  extension.fetch = api.fetch as typeof fetch;
  await extension.render();
  await settled(api.calls);
  return api;
}

describe("return-portal-actions in the order action menu: one button, only what the backend allows", () => {
  it("asks the backend about this order with the customer's session token", async () => {
    const api = await renderWith({ requestReturn: true, reportProblem: true, cancel: false });
    expect(api.calls[0]!.url).toBe(`${APP_URL}/api/portal/options?orderId=${encodeURIComponent(ORDER_ID)}`);
    expect((api.calls[0]!.init.headers as Record<string, string>).Authorization).toBe("Bearer mock-session-token");
  });

  it("a returnable order: 'Request a return', opening the order's return page", async () => {
    await renderWith({ requestReturn: true, reportProblem: true, cancel: false });
    await waitFor(() => expect(button()?.textContent).toBe("Request a return"));
    expect(button()!.getAttribute("href")).toBe("extension:return-portal-page/customer-account.order.page.render/1/");
  });

  it("only a claim is possible (final sale, or the return window closed): 'Report a problem with this order'", async () => {
    await renderWith({ requestReturn: false, reportProblem: true, cancel: false });
    await waitFor(() => expect(button()?.textContent).toBe("Report a problem with this order"));
    expect(button()!.getAttribute("href")).toBe(
      "extension:return-portal-page/customer-account.order.page.render/1/claim",
    );
  });

  it("inside the cancellation window: 'Cancel order', opening the cancellation", async () => {
    await renderWith({ requestReturn: false, reportProblem: false, cancel: true });
    await waitFor(() => expect(button()?.textContent).toBe("Cancel order"));
    expect(button()!.getAttribute("href")).toBe(
      "extension:return-portal-page/customer-account.order.page.render/1/cancel",
    );
  });

  it("nothing possible: no button at all", async () => {
    await renderWith({ requestReturn: false, reportProblem: false, cancel: false });
    expect(button()).toBeNull();
  });

  it("the backend refuses (not this customer's order, or unreachable): no button", async () => {
    await renderWith({ requestReturn: true, reportProblem: true, cancel: true }, 404);
    expect(button()).toBeNull();
  });

  it("speaks Japanese", async () => {
    extension.shopify.i18n = i18nFor(ja, "ja", extension.shopify.i18n);
    await renderWith({ requestReturn: true, reportProblem: false, cancel: false });
    await waitFor(() => expect(button()?.textContent).toBe("返品を申し込む"));
  });
});
