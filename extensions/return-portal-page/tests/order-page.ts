import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach } from "vitest";
import { i18nFor, ORDER_ID, unmount } from "../../return-portal-actions/tests/fixtures";
import en from "../locales/en.default.json";

/** The order page extension, set up in English for the fixtures' order before each test and torn down after. */
export function orderPageExtension() {
  const extension = getExtension("customer-account.order.page.render");
  beforeEach(() => {
    extension.setUp();
    extension.shopify.i18n = i18nFor(en, "en", extension.shopify.i18n);
    extension.shopify.order.value = { ...extension.shopify.order.value!, id: ORDER_ID };
  });
  afterEach(() => {
    unmount();
    extension.tearDown();
  });
  return extension;
}
