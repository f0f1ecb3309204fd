import { useEffect, useState } from "preact/hooks";
import type { PaymentChangeOption, PaymentMethodChanged } from "../../../app/services/returns/payment-change-types";
import { portalFetch, type Json } from "../../return-portal-actions/src/portal-client";

type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * CAN-4 beside the cancellation: the backend says whether the payment method may be changed
 * now and in which words (what it does, and that the one-of-a-kind items are released: INV-3);
 * confirmed, the order is cancelled and the shopper gets a cart link with the same items.
 */
export function ChangePayment({ orderId, t }: { orderId: string; t: Translate }) {
  const [option, setOption] = useState<Json<PaymentChangeOption> | null>(null);
  const [changed, setChanged] = useState<Json<PaymentMethodChanged> | null>(null);
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  useEffect(() => {
    void portalFetch<Json<PaymentChangeOption>>(
      `/api/portal/change-payment?orderId=${encodeURIComponent(orderId)}`,
    ).then((answer) => setOption(answer.ok ? answer.data : null));
  }, [orderId]);
  async function confirm() {
    if (sending) return;
    setSending(true);
    const answer = await portalFetch<Json<PaymentMethodChanged>>("/api/portal/change-payment", {
      method: "POST",
      body: JSON.stringify({ orderId }),
      headers: { "Content-Type": "application/json" },
    });
    setSending(false);
    if (answer.ok) return setChanged(answer.data);
    setError(answer.message || t("page.failed"));
  }
  if (changed) {
    return (
      <s-banner tone="success" heading={t("changePayment.done", { order: changed.orderName })} data-payment-changed>
        <s-stack gap="small-200">
          <s-text>{changed.message}</s-text>
          {changed.cartUrl && (
            <s-link href={changed.cartUrl} target="_blank" data-cart>
              {t("changePayment.cart")}
            </s-link>
          )}
        </s-stack>
      </s-banner>
    );
  }
  if (!option?.offer.allowed) return null;
  return (
    <s-section heading={t("changePayment.heading")} data-payment-change>
      <s-stack gap="base">
        {error && (
          <s-banner tone="critical" data-error>
            {error}
          </s-banner>
        )}
        <s-text>{option.offer.explain}</s-text>
        <s-banner tone="warning">{option.offer.released}</s-banner>
        <s-button variant="secondary" loading={sending} onClick={() => void confirm()} data-change-payment>
          {t("changePayment.confirm")}
        </s-button>
      </s-stack>
    </s-section>
  );
}
