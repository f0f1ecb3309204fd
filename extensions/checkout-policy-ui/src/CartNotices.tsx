/// <reference types="@shopify/ui-extensions/purchase.checkout.cart-line-list.render-after" />
import {
  useCartLines,
  useDeliveryGroups,
  useDiscountAllocations,
  useDiscountCodes,
  useTranslate,
} from "@shopify/ui-extensions/checkout/preact";
import { render } from "preact";
import { checkoutFreeShipping, checkoutNotices } from "../../../app/policy/notices";
import { discountFacts } from "./discounts";
import { NoticeList, useCheckoutRules, useNoticeText } from "./notices";

export default async () => {
  render(<CartNotices />, document.body);
};

/** Under the cart lines: SHP-1 progress, then INV-3 (no reservation) and PRC-1 (fixed prices). */
function CartNotices() {
  const rules = useCheckoutRules();
  const facts = discountFacts(useCartLines(), useDiscountAllocations(), useDiscountCodes(), useDeliveryGroups());
  const translate = useTranslate();
  const text = useNoticeText();
  const freeShipping = checkoutFreeShipping(facts, rules.shipping);
  const threshold = rules.shipping.freeShippingThreshold;
  return (
    <s-stack gap="base">
      {freeShipping.notices.length > 0 && (
        <s-stack gap="small-200" data-rule="SHP-1">
          {freeShipping.notices.map((notice) => (
            <s-text key={notice.key} data-notice={notice.key}>
              {text(notice)}
            </s-text>
          ))}
          {threshold && freeShipping.progress && (
            <s-progress
              value={freeShipping.subtotal.amount}
              max={threshold.amount}
              accessibilityLabel={translate("freeShippingProgress")}
            />
          )}
        </s-stack>
      )}
      <NoticeList heading={translate("headings.beforeYouPay")} notices={checkoutNotices(rules).cart} />
    </s-stack>
  );
}
