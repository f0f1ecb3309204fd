import { Layout, type PageContext } from "../../routes/apps.returns._index/pages";
import type { FiledWarrantyClaim, WarrantyOptions } from "../../services/warranty/warranty-types";

const orderNumber = (gid: string) => gid.split("/").pop();

/** The online-store page for a warranty or repair claim on one delivered order. */
export function WarrantyClaimPage({
  options,
  ctx,
  claimKey,
  error,
}: {
  options: WarrantyOptions;
  ctx: PageContext;
  claimKey: string;
  error?: string;
}) {
  const { orderId, orderName } = options;
  const base = `${ctx.prefix}/orders/${orderNumber(orderId)}`;
  const claimable = options.lines.filter((l) => !l.openClaim);
  return (
    <Layout title={`Warranty claim, order ${orderName}`}>
      <p>
        <a href={base}>← Order {orderName}</a>
      </p>
      <h1>Warranty or repair</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {options.claims.length > 0 && (
        <section>
          <h2>Your claims</h2>
          <ul>
            {options.claims.map((c) => (
              <li key={c.claimId}>
                {options.lines.find((l) => l.lineId === c.lineId)?.title}: {c.sentence}
              </li>
            ))}
          </ul>
        </section>
      )}
      {!options.delivered ? (
        <p className="note">You can file a warranty claim once the order has been delivered.</p>
      ) : claimable.length === 0 ? (
        <p className="note">Every item of this order has a claim the store is looking at.</p>
      ) : (
        <form method="post" action={`${base}/warranty`} encType="multipart/form-data">
          <input type="hidden" name="claimKey" value={claimKey} />
          <label>
            Item
            <br />
            <select name="lineId" required>
              {claimable.map((l) => (
                <option key={l.lineId} value={l.lineId}>
                  {l.title}
                </option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend>What is wrong?</legend>
            {options.issues.map((i, index) => (
              <label key={i.issue}>
                <input type="radio" name="issue" value={i.issue} required defaultChecked={index === 0} /> {i.label}
              </label>
            ))}
          </fieldset>
          <label>
            Tell us more (optional)
            <br />
            <textarea name="note" rows={3} cols={50} maxLength={1000} />
          </label>
          <label>
            Photos of what is wrong (at least one; images only)
            <br />
            <input type="file" name="photos" accept="image/*" multiple required />
          </label>
          <button type="submit">Send claim</button>
        </form>
      )}
    </Layout>
  );
}

/** What the shopper reads at once after filing: the rule's decision and what happens next. */
export function WarrantyFiledPage({
  claim,
  orderName,
  ctx,
}: {
  claim: FiledWarrantyClaim;
  orderName: string;
  ctx: PageContext;
}) {
  return (
    <Layout title="Warranty claim sent">
      <h1>Claim sent</h1>
      <p className={claim.covered ? "ok" : "note"} role="status">
        {claim.sentence}
      </p>
      <p>The store will examine the piece and confirm. This claim is on order {orderName}.</p>
      <p>
        <a href={`${ctx.prefix}/orders/${orderNumber(claim.orderId)}`}>Back to the order</a>
      </p>
    </Layout>
  );
}
