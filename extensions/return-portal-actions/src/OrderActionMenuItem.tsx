/// <reference types="@shopify/ui-extensions/customer-account.order.action.menu-item.render" />
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { ReturnOptions } from "../../../app/services/returns/portal-types";
import { portalFetch, portalPageUrl, type Json } from "./portal-client";

export default async () => {
  render(<OrderAction />, document.body);
};

type Action = "cancel" | "requestReturn" | "reportProblem";

/**
 * Shopify renders one button per extension in the order action menu: the one thing the backend
 * says this order allows now (a cancellable order has nothing to return yet), or nothing at all.
 */
export function chosenAction(actions: ReturnOptions["actions"]): Action | null {
  if (actions.cancel) return "cancel";
  if (actions.requestReturn) return "requestReturn";
  if (actions.reportProblem) return "reportProblem";
  return null;
}

const PAGE_PATH: Record<Action, string> = { cancel: "cancel", requestReturn: "", reportProblem: "claim" };

function OrderAction() {
  const [action, setAction] = useState<Action | null>(null);
  useEffect(() => {
    void portalFetch<Json<ReturnOptions>>(`/api/portal/options?orderId=${encodeURIComponent(shopify.orderId)}`).then(
      (answer) => setAction(answer.ok ? chosenAction(answer.data.actions) : null),
    );
  }, []);
  if (!action) return null;
  return (
    <s-button href={portalPageUrl(shopify.orderId, PAGE_PATH[action])} data-action={action}>
      {shopify.i18n.translate(`actions.${action}`)}
    </s-button>
  );
}
