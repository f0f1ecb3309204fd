/// <reference types="@shopify/ui-extensions/customer-account.order-status.return-details.render-after" />
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { ReturnStatusView } from "../../../app/services/returns/portal-types";
import { formatMoney, portalFetch, type Json } from "./portal-client";

export default async () => {
  render(<ReturnDetails />, document.body);
};

type View = Json<ReturnStatusView>;

/** Under a return on the order status page: where it stands, the label and when it voids, the deadlines, the refund. */
function ReturnDetails() {
  const [view, setView] = useState<View | null | "failed">(null);
  const orderId = shopify.order.value?.id;
  useEffect(() => {
    if (!orderId) return;
    void portalFetch<View[]>(`/api/portal/status?orderId=${encodeURIComponent(orderId)}`).then((answer) => {
      if (!answer.ok) return setView("failed");
      setView(answer.data.find((item) => item.returnId === shopify.returnId) ?? null);
    });
  }, [orderId]);

  const { i18n } = shopify;
  const t = (key: string, params?: Record<string, string>) => i18n.translate(key, params);
  const when = (at: string) => i18n.formatDate(new Date(at), { dateStyle: "medium", timeStyle: "short" });
  if (view === "failed") return <s-text color="subdued">{t("details.unavailable")}</s-text>;
  if (!view) return null;
  return (
    <s-stack gap="small-200" data-status={view.status}>
      <s-heading>{t(`status.${view.status}`)}</s-heading>
      <s-text>{view.message}</s-text>
      {view.decline?.note && <s-text data-decline>{t("details.declineNote", { note: view.decline.note })}</s-text>}
      {view.answer && <s-text>{t("details.answer", { answer: view.answer })}</s-text>}
      {view.label && (
        <s-stack gap="small-300" data-label={view.label.status}>
          {view.label.url && <s-link href={view.label.url}>{t("details.downloadLabel")}</s-link>}
          <s-text>{t("details.labelVoids", { at: when(view.label.voidsAt) })}</s-text>
        </s-stack>
      )}
      {view.arrivalBy && <s-text data-arrival>{t("details.arrivalBy", { at: when(view.arrivalBy) })}</s-text>}
      {view.refund && (
        <s-text data-refund>
          {t("details.refunded", {
            amount: formatMoney(i18n, view.refund.amount),
            from: when(view.refund.visibleFrom),
            by: when(view.refund.visibleBy),
          })}
        </s-text>
      )}
    </s-stack>
  );
}
