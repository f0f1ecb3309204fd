// The `shopify` global the target module sees (what `shopify app build` generates).
import type { Api as OrderPageApi } from "@shopify/ui-extensions/customer-account.order.page.render";

declare module "./src/ReturnPage.tsx" {
  const shopify: OrderPageApi;
}
