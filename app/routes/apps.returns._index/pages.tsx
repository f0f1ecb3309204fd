/**
 * The online-store return portal as plain HTML: server-rendered, forms that post without
 * JavaScript, links under the proxy's path prefix (the storefront's /apps/returns).
 */
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { formatMoney, type Money } from "../../policy/money";
import type {
  CancelledOrder,
  CustomerOrderSummary,
  RefundPreview,
  RequestedReturn,
  ReturnOptions,
  ReturnReason,
  ReturnStatusView,
} from "../../services/returns/portal-types";

export const REASON_LABELS: Record<ReturnReason, string> = {
  change_of_mind: "Changed my mind",
  wrong_item: "Wrong item received",
  damaged: "Arrived damaged",
  inauthentic: "Not authentic",
};

const STATUS_LABELS: Record<string, string> = {
  requested: "Requested, waiting for the store",
  approved: "Approved",
  in_transit: "On its way back",
  received: "Received by the store",
  inspected: "Inspected",
  refunded: "Refunded",
  closed: "Closed",
  declined: "Declined",
  cancelled: "Cancelled",
  label_voided: "Label voided",
  rejected: "Rejected after inspection",
  lost: "Lost in transit",
};

/** How the page formats instants and links: the shop's time zone, the proxy's path prefix. */
export interface PageContext {
  prefix: string;
  timeZone: string;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
.error{background:#fde8e8;border:1px solid #e0b4b4;padding:.75rem;border-radius:6px}.note{color:#555}
.ok{background:#e6f4ea;border:1px solid #b7dfc1;padding:.75rem;border-radius:6px}section{margin:1.5rem 0}
button{padding:.5rem 1rem;font-size:1rem}label{display:block;margin:.5rem 0}`;

export function Layout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <main>{children}</main>
      </body>
    </html>
  );
}

export function html(element: ReactNode, status = 200): Response {
  return new Response(`<!DOCTYPE html>${renderToStaticMarkup(element)}`, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

const formatInstant = (at: Date | string, timeZone: string) =>
  new Date(at).toLocaleString("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" });
const money = (value: Money) => formatMoney(value);
const orderNumber = (orderId: string) => orderId.split("/").pop()!;

export function LoginPage({ loginUrl }: { loginUrl: string }) {
  return (
    <Layout title="Returns">
      <h1>Returns and cancellations</h1>
      <p>Returns are requested from your account, within the window our returns policy gives.</p>
      <p>
        <a href={loginUrl}>Log in to your account</a> to see your orders; you will come back here.
      </p>
    </Layout>
  );
}

export function OrdersPage({ orders, ctx }: { orders: CustomerOrderSummary[]; ctx: PageContext }) {
  return (
    <Layout title="Your orders">
      <h1>Your recent orders</h1>
      {orders.length === 0 ? (
        <p>You have no orders yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Order</th>
              <th>Placed</th>
              <th>Total</th>
              <th>What you can do</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.orderId} data-order={order.name}>
                <td>
                  <a href={`${ctx.prefix}/orders/${orderNumber(order.orderId)}`}>{order.name}</a>
                </td>
                <td>{formatInstant(order.placedAt, ctx.timeZone)}</td>
                <td>{money(order.total)}</td>
                <td>
                  {[
                    order.canCancel && "Cancel",
                    order.canReturn && "Return or report a problem",
                    order.openReturns > 0 && `${order.openReturns} open return${order.openReturns > 1 ? "s" : ""}`,
                  ]
                    .filter(Boolean)
                    .join(" · ") || "View"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

function Preview({ preview }: { preview: RefundPreview }) {
  return (
    <table data-preview={preview.reason}>
      <tbody>
        <tr>
          <td>Items</td>
          <td>{money(preview.merchandise)}</td>
        </tr>
        <tr>
          <td>Tax</td>
          <td>{money(preview.tax)}</td>
        </tr>
        {preview.fees.map((fee) => (
          <tr key={fee.rule + fee.label} data-fee={fee.rule}>
            <td>
              {fee.label} ({fee.rule})
            </td>
            <td>-{money(fee.amount)}</td>
          </tr>
        ))}
        {preview.noFeeReason && (
          <tr>
            <td colSpan={2}>{preview.noFeeReason.message}</td>
          </tr>
        )}
        <tr>
          <td>Shipping</td>
          <td>
            {money(preview.shippingRefunded)} <span className="note">{preview.shippingNote}</span>
          </td>
        </tr>
        <tr>
          <th>Refund</th>
          <th>{money(preview.total)}</th>
        </tr>
        <tr>
          <td colSpan={2} className="note">
            {preview.refundNote}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export function ReturnStatusList({ returns, ctx }: { returns: ReturnStatusView[]; ctx: PageContext }) {
  if (!returns.length) return null;
  return (
    <section>
      <h2>Your returns</h2>
      {returns.map((item) => (
        <div key={item.returnId} data-return={item.returnId} className="ok">
          <strong>
            {item.name ?? "Return"}: {STATUS_LABELS[item.status] ?? item.status}
          </strong>{" "}
          ({REASON_LABELS[item.reason]})<p>{item.message}</p>
          <ul>
            {item.lines.map((line) => (
              <li key={line.lineId}>
                {line.quantity} × {line.title}
              </li>
            ))}
          </ul>
          {item.decline?.note && <p>The store's note: {item.decline.note}</p>}
          {item.answer && <p>The store's answer: {item.answer}</p>}
          {item.label && (
            <p>
              {item.label.url ? <a href={item.label.url}>Download your return label</a> : "Return label"} (
              {item.label.carrier}
              {item.label.trackingNumber ? ` ${item.label.trackingNumber}` : ""}): use it before{" "}
              {formatInstant(item.label.voidsAt, ctx.timeZone)}, when it is voided.
            </p>
          )}
          {item.arrivalBy && <p>The package must reach us by {formatInstant(item.arrivalBy, ctx.timeZone)}.</p>}
          {item.refund && (
            <p>
              Refunded {money(item.refund.amount)} on {formatInstant(item.refund.refundedAt, ctx.timeZone)}; it shows on
              your statement between {formatInstant(item.refund.visibleFrom, ctx.timeZone)} and{" "}
              {formatInstant(item.refund.visibleBy, ctx.timeZone)}.
            </p>
          )}
        </div>
      ))}
    </section>
  );
}

export function OrderPage({
  options,
  ctx,
  requestKey,
  error,
  warranty,
}: {
  options: ReturnOptions;
  ctx: PageContext;
  requestKey: string;
  error?: string;
  /** The store takes warranty claims (WAR-1…5): link to the claim form once delivered. */
  warranty?: boolean;
}) {
  const base = `${ctx.prefix}/orders/${orderNumber(options.orderId)}`;
  const offered = (Object.keys(REASON_LABELS) as ReturnReason[]).filter((reason) =>
    options.lines.some((line) => line.reasons.some((r) => r.reason === reason && r.allowed)),
  );
  const returnable = options.lines.filter((line) => line.returnable);
  return (
    <Layout title={`Order ${options.orderName}`}>
      <p>
        <a href={ctx.prefix}>← Your orders</a>
      </p>
      <h1>Order {options.orderName}</h1>
      <p>
        Placed {formatInstant(options.placedAt, ctx.timeZone)}.{" "}
        {options.deliveredAt
          ? `Delivered ${formatInstant(options.deliveredAt, ctx.timeZone)}.`
          : "Not delivered yet according to tracking."}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ReturnStatusList returns={options.returns} ctx={ctx} />
      {warranty && options.deliveredAt && (
        <p data-warranty>
          <a href={`${base}/warranty`}>Warranty or repair claim</a> (a defect, or a paid repair, WAR-1…5)
        </p>
      )}
      {options.cancellation.allowed ? (
        <section>
          <h2>Cancel this order</h2>
          <p>
            {options.cancellation.message} You can cancel until{" "}
            {formatInstant(options.cancellation.until, ctx.timeZone)}.
          </p>
          <form method="post" action={`${base}/cancel`}>
            <button type="submit">Cancel order</button>
          </form>
          <p>
            <a href={`${base}/change-payment`}>Change payment method</a> (cancels this order and gives you a cart with
            the same items, CAN-4)
          </p>
        </section>
      ) : (
        !options.deliveredAt && <p data-rule={options.cancellation.rule}>{options.cancellation.message}</p>
      )}
      <section>
        <h2>Items</h2>
        <table>
          <tbody>
            {options.lines.map((line) => (
              <tr key={line.lineId} data-line={line.lineId}>
                <td>
                  {line.title}
                  <br />
                  <span className="note">
                    {line.quantity} × {money(line.unitPrice)}
                  </span>
                </td>
                <td>
                  <ul>
                    {line.reasons.map((verdict) => (
                      <li key={verdict.reason} data-reason={verdict.reason} data-allowed={String(verdict.allowed)}>
                        {REASON_LABELS[verdict.reason]}: {verdict.message}
                        {verdict.allowed && verdict.windowEndsAt
                          ? ` Until ${formatInstant(verdict.windowEndsAt, ctx.timeZone)}.`
                          : ""}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {returnable.length > 0 && offered.length > 0 && (
        <section>
          <h2>Request a return or report a problem</h2>
          <form method="post" action={`${base}/request`} encType="multipart/form-data">
            <input type="hidden" name="requestKey" value={requestKey} />
            <input type="hidden" name="orderId" value={options.orderId} />
            {returnable.map((line) => (
              <label key={line.lineId}>
                {line.title}: how many to send back{" "}
                <select name={`quantity:${line.lineId}`} defaultValue={returnable.length === 1 ? "1" : "0"}>
                  {Array.from({ length: line.returnableQuantity + 1 }, (_, n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            <label>
              Reason{" "}
              <select name="reason" required defaultValue={offered[0]}>
                {offered.map((reason) => (
                  <option key={reason} value={reason}>
                    {REASON_LABELS[reason]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Note for the store (optional)
              <br />
              <textarea name="note" rows={3} cols={50} maxLength={2000} />
            </label>
            <label>
              Photos (needed when the item is wrong or damaged; images only)
              <br />
              <input type="file" name="photos" accept="image/*" multiple />
            </label>
            <h3>What you get back</h3>
            {options.refundPreviews.map((preview) => (
              <div key={preview.reason}>
                <h4>{REASON_LABELS[preview.reason]}</h4>
                <Preview preview={preview} />
              </div>
            ))}
            <h3>What happens next</h3>
            <ul>
              {options.dates.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
            <button type="submit">Request return</button>
          </form>
        </section>
      )}
    </Layout>
  );
}

export function ReturnRequestedPage({ requested, ctx }: { requested: RequestedReturn; ctx: PageContext }) {
  return (
    <Layout title="Return requested">
      <h1 className="ok">Return requested{requested.name ? `: ${requested.name}` : ""}</h1>
      <p>
        Reason: {REASON_LABELS[requested.reason]}. Return label fee: {money(requested.fee)}.
      </p>
      <Preview preview={requested.refundPreview} />
      <h2>What happens next</h2>
      <ul>
        {requested.nextSteps.map((step) => (
          <li key={step}>{step}</li>
        ))}
        {requested.answerBy && <li>The store answers by {formatInstant(requested.answerBy, ctx.timeZone)}.</li>}
        {requested.arrivalBy && (
          <li>The package must reach the store by {formatInstant(requested.arrivalBy, ctx.timeZone)}.</li>
        )}
      </ul>
      <p>
        <a href={ctx.prefix}>Back to your orders</a>
      </p>
    </Layout>
  );
}

export function OrderCancelledPage({ cancelled, ctx }: { cancelled: CancelledOrder; ctx: PageContext }) {
  return (
    <Layout title="Cancellation requested">
      <h1 className="ok">Order {cancelled.orderName}: cancellation requested</h1>
      <p>{cancelled.message}</p>
      {cancelled.processOn && <p>It is processed on {cancelled.processOn}.</p>}
      <p>You are refunded to your original payment method; Shopify emails you when the cancellation is done.</p>
      <p>
        <a href={ctx.prefix}>Back to your orders</a>
      </p>
    </Layout>
  );
}

export function ErrorPage({ message, ctx, back }: { message: string; ctx: PageContext; back?: string }) {
  return (
    <Layout title="Returns">
      <p className="error" role="alert">
        {message}
      </p>
      <p>
        <a href={back ?? ctx.prefix}>Back</a>
      </p>
    </Layout>
  );
}
