import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { WarrantyClaimPage, WarrantyFiledPage } from "../components/warranty/warranty-proxy-pages";
import { closingAfter, orderGid, portalErrorStatus } from "../services/portal-auth/portal-endpoint.server";
import { PortalError } from "../services/returns/portal-errors";
import { fileWarrantyClaim } from "../services/warranty/file-warranty-claim.server";
import { readWarrantyClaimForm } from "../services/warranty/warranty-claim-form.server";
import { warrantyOptions } from "../services/warranty/warranty-options.server";
import { ErrorPage, html } from "./apps.returns._index/pages";
import { newRequestKey, proxyPage } from "./apps.returns._index/proxy.server";

const OFF = "This store does not take warranty claims online.";

// GET {storefront}/apps/returns/orders/:orderId/warranty: the claim form (only where the store has a warranty).
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  proxyPage(request, async ({ shop, customerId, ctx }) => {
    const options = await warrantyOptions(shop, customerId, orderGid(params.orderId));
    if (!options.enabled) return html(<ErrorPage message={OFF} ctx={ctx} />, 404);
    return html(<WarrantyClaimPage options={options} ctx={ctx} claimKey={newRequestKey()} />);
  });

// POST (multipart form): the rule's decision at once, or the form again with why it was refused.
export const action = ({ request, params }: ActionFunctionArgs) =>
  proxyPage(request, async ({ shop, customerId, ctx, now }) => {
    const orderId = orderGid(params.orderId);
    try {
      const input = await readWarrantyClaimForm(request);
      const claim = await fileWarrantyClaim(shop, customerId, { ...input, orderId }, now);
      const options = await warrantyOptions(shop, customerId, orderId);
      return html(<WarrantyFiledPage claim={claim} orderName={options.orderName} ctx={ctx} />);
    } catch (error) {
      if (!(error instanceof PortalError) || error.code === "NOT_FOUND") throw error;
      const options = await warrantyOptions(shop, customerId, orderId);
      const page = options.enabled ? (
        <WarrantyClaimPage options={options} ctx={ctx} claimKey={newRequestKey()} error={error.message} />
      ) : (
        <ErrorPage message={error.message} ctx={ctx} />
      );
      return closingAfter(request, html(page, portalErrorStatus(error.code)));
    }
  });
