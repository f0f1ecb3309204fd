import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { orderGid, portalErrorStatus } from "../services/portal-auth/portal-endpoint.server";
import {
  changePaymentMethod,
  paymentChangeOption,
  type PaymentChangeOption,
  type PaymentMethodChanged,
} from "../services/returns/change-payment-method.server";
import { PortalError } from "../services/returns/portal-errors";
import { html, Layout, type PageContext } from "./apps.returns._index/pages";
import { proxyPage } from "./apps.returns._index/proxy.server";

const orderPath = (ctx: PageContext, orderId: string) => `${ctx.prefix}/orders/${orderId.split("/").pop()}`;

function ChangePaymentPage({ option, ctx, error }: { option: PaymentChangeOption; ctx: PageContext; error?: string }) {
  const { offer } = option;
  const back = orderPath(ctx, option.orderId);
  return (
    <Layout title={`Change payment method: order ${option.orderName}`}>
      <p>
        <a href={back}>← Order {option.orderName}</a>
      </p>
      <h1>Change the payment method of order {option.orderName}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {offer.allowed ? (
        <section data-rule={offer.rule}>
          <p>{offer.explain}</p>
          <p className="error">
            <strong>{offer.released}</strong>
          </p>
          <form method="post">
            <button type="submit">Cancel this order and get a cart to pay another way</button>
          </form>
        </section>
      ) : (
        !error && (
          <p className="error" role="alert" data-rule={offer.rule}>
            {offer.message}
          </p>
        )
      )}
    </Layout>
  );
}

function PaymentChangedPage({ changed, ctx }: { changed: PaymentMethodChanged; ctx: PageContext }) {
  return (
    <Layout title="Order cancelled: pay another way">
      <h1 className="ok">Order {changed.orderName} is cancelled</h1>
      <p>{changed.message}</p>
      {changed.cartUrl && (
        <p>
          <a href={changed.cartUrl} data-cart>
            Go to your cart with the same items
          </a>
        </p>
      )}
      <p>
        <a href={ctx.prefix}>Back to your orders</a>
      </p>
    </Layout>
  );
}

// GET {storefront}/apps/returns/orders/:orderId/change-payment: what changing the payment method means (CAN-4, INV-3).
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  proxyPage(request, async ({ shop, customerId, ctx, now }) => {
    const option = await paymentChangeOption(shop, customerId, orderGid(params.orderId), now);
    return html(<ChangePaymentPage option={option} ctx={ctx} />, option.offer.allowed ? 200 : 422);
  });

// POST: the order cancelled and the cart link, or the page again with the cancellation's refusal.
export const action = ({ request, params }: ActionFunctionArgs) =>
  proxyPage(request, async ({ shop, customerId, ctx, now }) => {
    const orderId = orderGid(params.orderId);
    try {
      return html(<PaymentChangedPage changed={await changePaymentMethod(shop, customerId, orderId, now)} ctx={ctx} />);
    } catch (error) {
      if (!(error instanceof PortalError) || error.code === "NOT_FOUND") throw error;
      const option = await paymentChangeOption(shop, customerId, orderId, now);
      return html(<ChangePaymentPage option={option} ctx={ctx} error={error.message} />, portalErrorStatus(error.code));
    }
  });
