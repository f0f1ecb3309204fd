/// <reference types="@shopify/ui-extensions/purchase.checkout.cart-line-list.render-after" />
import { useSubtotalAmount, useTranslate } from "@shopify/ui-extensions/checkout/preact";
import { render } from "preact";
import { checkoutNotices } from "../../../app/policy/notices";
import { freeShippingNotice } from "../../../app/policy/shipping";
import { NoticeList, toMoney, useCheckoutRules, useNoticeText } from "./notices";

export default async () => {
  render(<CartNotices />, document.body);
};

/** Under the cart lines: SHP-1 progress, then INV-3 (no reservation) and PRC-1 (fixed prices). */
function CartNotices() {
  const rules = useCheckoutRules();
  const subtotal = toMoney(useSubtotalAmount());
  const translate = useTranslate();
  const text = useNoticeText();
  const freeShipping = freeShippingNotice(subtotal, rules.shipping);
  const threshold = rules.shipping.freeShippingThreshold;
  return (
    <s-stack gap="base">
      {freeShipping && (
        <s-stack gap="small-200" data-rule={freeShipping.rule}>
          <s-text>{text(freeShipping)}</s-text>
          {threshold && freeShipping.key === "freeShipping.remaining" && (
            <s-progress
              value={subtotal.amount}
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
