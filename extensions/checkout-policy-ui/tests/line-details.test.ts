// @vitest-environment jsdom
import { getExtension } from "@shopify/ui-extensions-tester";
import { createResult } from "@shopify/ui-extensions-tester/checkout";
import { waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { conditionRank, i18nFor, productLine } from "./support";

const extension = getExtension("purchase.checkout.cart-line-item.render-after");

beforeEach(() => {
  extension.setUp();
  extension.shopify.i18n = i18nFor("en", extension.shopify.i18n);
});
afterEach(() => extension.tearDown());

const wristField = () => document.body.querySelector("s-text-field") as (HTMLElement & { value: string }) | null;

/** As the host does: set the value, then fire change (not fireEvent: its act() wrapper never settles on this tree). */
function typeWristSize(value: string) {
  const field = wristField()!;
  field.value = value;
  field.dispatchEvent(new Event("change"));
}

describe("checkout-policy-ui under each line: condition rank (INV-4) and a watch's wrist size", () => {
  it("shows the line's own condition rank, not another product's", async () => {
    extension.shopify.target.value = productLine(7, "Handbags");
    extension.shopify.appMetafields.value = [conditionRank(8, "C"), conditionRank(7, "ab")];
    await extension.render();
    expect(document.body.querySelector('[data-rule="INV-4"]')?.textContent).toBe(
      "Condition rank AB: Very good, some signs of use",
    );
    expect(wristField()).toBeNull();
  });

  it("renders nothing for a line without a rank that is not a watch", async () => {
    extension.shopify.target.value = productLine(7, "Handbags");
    await extension.render();
    expect(document.body.innerHTML).toBe("");
  });

  it("asks for the wrist size on a watch line and saves it on that line, other attributes kept", async () => {
    const line = productLine(9, "Watches", [{ key: "Engraving", value: "none" }]);
    extension.shopify.target.value = line;
    const apply = vi.fn().mockResolvedValue(createResult("applyCartLinesChange"));
    extension.shopify.applyCartLinesChange = apply;
    await extension.render();
    expect(wristField()?.getAttribute("label")).toBe("Wrist size for band adjustment");

    typeWristSize("6.5 in");
    await waitFor(() =>
      expect(apply).toHaveBeenCalledWith({
        type: "updateCartLine",
        id: line.id,
        attributes: [
          { key: "Engraving", value: "none" },
          { key: "Wrist size", value: "16.5 cm (6.5 in)" },
        ],
      }),
    );
    expect(wristField()?.getAttribute("error")).toBeNull();
  });

  it("refuses a size no band fits, with the range from the policy, and saves nothing", async () => {
    extension.shopify.target.value = productLine(9, "Watches");
    const apply = vi.fn().mockResolvedValue(createResult("applyCartLinesChange"));
    extension.shopify.applyCartLinesChange = apply;
    await extension.render();

    typeWristSize("40");
    await waitFor(() => expect(wristField()?.getAttribute("error")).toBe("Enter a wrist size between 12 and 25 cm."));
    typeWristSize("large");
    await waitFor(() =>
      expect(wristField()?.getAttribute("error")).toBe(
        "Enter your wrist size as a number, for example 16.5 cm or 6.5 in.",
      ),
    );
    expect(apply).not.toHaveBeenCalled();
  });

  it("shows the saved size, clears it when emptied, and says when checkout refused the change", async () => {
    const line = productLine(9, "Watches", [{ key: "Wrist size", value: "17 cm" }]);
    extension.shopify.target.value = line;
    const apply = vi
      .fn()
      .mockResolvedValue(createResult("applyCartLinesChange", { type: "error", message: "Cart is locked" }));
    extension.shopify.applyCartLinesChange = apply;
    await extension.render();
    expect(wristField()?.getAttribute("value")).toBe("17 cm");
    expect(document.body.textContent).toContain("Saved: 17 cm");

    typeWristSize("");
    await waitFor(() => expect(apply).toHaveBeenCalledWith({ type: "updateCartLine", id: line.id, attributes: [] }));
    await waitFor(() =>
      expect(wristField()?.getAttribute("error")).toBe("Your wrist size could not be saved: Cart is locked"),
    );
  });

  it("points to the order notes where checkout does not allow line changes", async () => {
    extension.shopify.target.value = productLine(9, "Watches");
    extension.shopify.instructions.value = {
      ...extension.shopify.instructions.value,
      lines: { canAddCartLine: false, canRemoveCartLine: false, canUpdateCartLine: false },
    };
    await extension.render();
    expect(wristField()).toBeNull();
    expect(document.body.textContent).toBe("To have the band adjusted, tell us your wrist size in the order notes.");
  });

  it("speaks Japanese", async () => {
    extension.shopify.i18n = i18nFor("ja", extension.shopify.i18n);
    extension.shopify.target.value = productLine(9, "Watches");
    extension.shopify.appMetafields.value = [conditionRank(9, "SA")];
    await extension.render();
    expect(document.body.querySelector('[data-rule="INV-4"]')?.textContent).toBe("コンディションランク SA：新品同様");
    expect(wristField()?.getAttribute("label")).toBe("ベルト調整用の手首サイズ");
  });
});
