// @vitest-environment jsdom
import { waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { WARRANTY_ISSUES } from "../../../app/policy/warranty";
import { backend, ORDER_ID, returnOptions } from "../../return-portal-actions/tests/fixtures";
import en from "../locales/en.default.json";
import { orderPageExtension } from "./order-page";

const extension = orderPageExtension();
const LINE = "gid://shopify/LineItem/11";

const warranty = (enabled: boolean) => ({
  orderId: ORDER_ID,
  orderName: "#1001",
  enabled,
  delivered: true,
  issues: WARRANTY_ISSUES,
  lines: [{ lineId: LINE, title: "Love Ring 18K Gold", openClaim: false }],
  claims: [],
});
const SENTENCE = "Covered by the 24-month warranty (WAR-2). Send us the piece and we will repair it free of charge.";

async function open(enabled: boolean) {
  const api = backend({
    "/api/portal/options": { body: returnOptions() },
    "/api/portal/warranty": () =>
      api.calls.at(-1)!.init.method === "POST"
        ? { body: { claimId: "c1", covered: true, rule: "WAR-2", sentence: SENTENCE, repeated: false } }
        : { body: warranty(enabled) },
  });
  extension.fetch = api.fetch as typeof fetch;
  await extension.render();
  await waitFor(() => expect(document.body.querySelector("s-spinner")).toBeNull());
  await waitFor(() => expect(api.calls.some((c) => c.url.includes("/api/portal/warranty"))).toBe(true));
  return api;
}

const $ = (selector: string) => document.body.querySelector(selector);

describe("return-portal-page: a warranty or repair claim (WAR-1…5)", () => {
  it("where the store has a warranty: item, what is wrong, photos; the rule's decision shown at once", async () => {
    const api = await open(true);
    await waitFor(() => expect($("[data-warranty]")).not.toBeNull());
    $("[data-warranty-submit]")!.dispatchEvent(new Event("click"));
    await waitFor(() => expect($("[data-warranty] [data-error]")?.textContent).toBe(en.warranty.photoNeeded));
    expect(api.calls.filter((c) => c.init.method === "POST")).toHaveLength(0);

    const zone = $("[data-warranty] s-drop-zone") as HTMLElement & { files?: File[] };
    zone.files = [new File([new Uint8Array([0xff, 0xd8, 0xff])], "clasp.jpg", { type: "image/jpeg" })];
    zone.dispatchEvent(new Event("change"));
    // Preact renders the change on the next task; the click then sees the photo.
    await new Promise((resolve) => setTimeout(resolve, 0));
    $("[data-warranty-submit]")!.dispatchEvent(new Event("click"));
    await waitFor(() => expect($("[data-warranty-filed]")).not.toBeNull());
    expect($("[data-warranty-filed]")!.textContent).toContain(SENTENCE);
    const body = api.calls.find((c) => c.init.method === "POST")!.init.body as FormData;
    expect(Object.fromEntries([...body.entries()].filter(([, v]) => typeof v === "string"))).toMatchObject({
      orderId: ORDER_ID,
      lineId: LINE,
      issue: "manufacturing_defect",
    });
    expect(body.getAll("photos")).toHaveLength(1);
  });

  it("where the store has no warranty: no claim is offered", async () => {
    await open(false);
    expect($("[data-warranty]")).toBeNull();
    expect($("[data-warranty-submit]")).toBeNull();
  });
});
