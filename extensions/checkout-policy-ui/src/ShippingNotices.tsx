/// <reference types="@shopify/ui-extensions/purchase.checkout.shipping-option-list.render-after" />
import { useTranslate } from "@shopify/ui-extensions/checkout/preact";
import { render } from "preact";
import { checkoutNotices } from "../../../app/policy/notices";
import { NoticeList, useCheckoutRules } from "./notices";

export default async () => {
  render(<ShippingNotices />, document.body);
};

/** At the shipping step: SHP-3 domestic only, SHP-4 carrier and signature, SHP-5 ship-to and no gift wrap. */
function ShippingNotices() {
  const translate = useTranslate();
  return <NoticeList heading={translate("headings.shipping")} notices={checkoutNotices(useCheckoutRules()).shipping} />;
}
