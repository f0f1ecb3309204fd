// The `shopify` global each target module sees (what `shopify app build` generates).
import type { Api as MenuItemApi } from "@shopify/ui-extensions/customer-account.order.action.menu-item.render";
import type { Api as ReturnDetailsApi } from "@shopify/ui-extensions/customer-account.order-status.return-details.render-after";

declare module "./src/OrderActionMenuItem.tsx" {
  const shopify: MenuItemApi;
}

declare module "./src/ReturnDetails.tsx" {
  const shopify: ReturnDetailsApi;
}
