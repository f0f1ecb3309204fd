/// <reference types="@shopify/ui-extensions/purchase.checkout.payment-method-list.render-after" />
import { useTranslate } from "@shopify/ui-extensions/checkout/preact";
import { render } from "preact";
import { checkoutNotices } from "../../../app/policy/notices";
import { NoticeList, useCheckoutRules } from "./notices";

export default async () => {
  render(<PaymentNotices />, document.body);
};

/** At the payment step, while the method is still a choice: RET-3 card-only returns, RET-4 no exchanges. */
function PaymentNotices() {
  const translate = useTranslate();
  return <NoticeList heading={translate("headings.returns")} notices={checkoutNotices(useCheckoutRules()).payment} />;
}
