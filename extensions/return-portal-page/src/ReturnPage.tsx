/// <reference types="@shopify/ui-extensions/customer-account.order.page.render" />
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type {
  CancelledOrder,
  RefundPreview,
  RequestedReturn,
  ReturnOptions,
  ReturnReason,
} from "../../../app/services/returns/portal-types";
import { formatMoney, portalFetch, type Json } from "../../return-portal-actions/src/portal-client";
import { ChangePayment } from "./ChangePayment";
import { WarrantyClaim } from "./WarrantyClaim";

export default async () => {
  render(<ReturnPage />, document.body);
};

type Options = Json<ReturnOptions>;
type Phase =
  | { name: "loading" }
  | { name: "unavailable"; message: string }
  | { name: "ready"; options: Options }
  | { name: "requested"; options: Options; requested: Json<RequestedReturn> }
  | { name: "cancelled"; options: Options; cancelled: Json<CancelledOrder> };

const REASONS: ReturnReason[] = ["change_of_mind", "wrong_item", "damaged", "inauthentic"];
const CLAIMS: ReturnReason[] = ["wrong_item", "damaged", "inauthentic"];

const t = (key: string, params?: Record<string, string | number>) => shopify.i18n.translate(key, params);
const when = (at: string) => shopify.i18n.formatDate(new Date(at), { dateStyle: "medium", timeStyle: "short" });
const money = (value: { amount: number; currency: string }) => formatMoney(shopify.i18n, value);

/** What the page opened for: the order action menu links to ".../claim" and ".../cancel". */
function openedFor(): "return" | "claim" | "cancel" {
  const url = typeof navigation === "undefined" ? "" : (navigation.currentEntry?.url ?? "");
  if (/\/cancel\/?$/.test(url)) return "cancel";
  if (/\/claim\/?$/.test(url)) return "claim";
  return "return";
}

/** One key per page visit: a double click or a retry asks for the same return. */
const newRequestKey = () =>
  typeof crypto !== "undefined" && crypto.randomUUID
    ? crypto.randomUUID()
    : `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

function ReturnPage() {
  const [phase, setPhase] = useState<Phase>({ name: "loading" });
  const orderId = shopify.order.value?.id;
  useEffect(() => {
    if (!orderId) return setPhase({ name: "unavailable", message: t("page.notFound") });
    void portalFetch<Options>(`/api/portal/options?orderId=${encodeURIComponent(orderId)}`).then((answer) =>
      setPhase(
        answer.ok
          ? { name: "ready", options: answer.data }
          : {
              name: "unavailable",
              message: answer.message || t(answer.status === 404 ? "page.notFound" : "page.failed"),
            },
      ),
    );
  }, [orderId]);

  if (phase.name === "loading") {
    return (
      <s-page heading={t("page.heading")}>
        <s-spinner accessibilityLabel={t("page.loading")} />
      </s-page>
    );
  }
  if (phase.name === "unavailable") {
    return (
      <s-page heading={t("page.heading")}>
        <s-banner tone="critical" data-unavailable>
          {phase.message}
        </s-banner>
      </s-page>
    );
  }
  const heading = t("page.title", { order: phase.options.orderName });
  return (
    <s-page heading={heading}>
      {phase.name === "requested" && <ReturnRequested requested={phase.requested} />}
      {phase.name === "cancelled" && <OrderCancelled cancelled={phase.cancelled} />}
      {phase.name === "ready" &&
        (openedFor() === "cancel" ? (
          <>
            <CancelOrder
              options={phase.options}
              onDone={(cancelled) => setPhase({ name: "cancelled", options: phase.options, cancelled })}
            />
            <ChangePayment orderId={phase.options.orderId} t={t} />
          </>
        ) : (
          <>
            <ReturnForm
              options={phase.options}
              claim={openedFor() === "claim"}
              onDone={(requested) => setPhase({ name: "requested", options: phase.options, requested })}
            />
            <WarrantyClaim orderId={phase.options.orderId} t={t} />
          </>
        ))}
    </s-page>
  );
}

function offeredReasons(options: Options, claim: boolean): ReturnReason[] {
  const offered = REASONS.filter((reason) =>
    options.lines.some((line) => line.reasons.some((r) => r.reason === reason && r.allowed)),
  );
  return claim
    ? [...offered.filter((r) => CLAIMS.includes(r)), ...offered.filter((r) => !CLAIMS.includes(r))]
    : offered;
}

function ReturnForm({
  options,
  claim,
  onDone,
}: {
  options: Options;
  claim: boolean;
  onDone: (requested: Json<RequestedReturn>) => void;
}) {
  const offered = offeredReasons(options, claim);
  const [reason, setReason] = useState<ReturnReason | undefined>(offered[0]);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [note, setNote] = useState("");
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const [requestKey] = useState(newRequestKey);

  const allowedFor = (line: Options["lines"][number]) => line.reasons.find((r) => r.reason === reason && r.allowed);
  // One item that can go back for this reason is chosen already; with several, the shopper picks.
  const single = options.lines.filter((line) => allowedFor(line)).length === 1;
  const quantityOf = (line: Options["lines"][number]) => quantities[line.lineId] ?? (single ? 1 : 0);
  const photoRequired = options.lines.some((line) => allowedFor(line)?.photoRequired);
  const preview = options.refundPreviews.find((p) => p.reason === reason);

  async function submit() {
    if (sending || !reason) return;
    const lines = options.lines
      .filter((line) => allowedFor(line) && quantityOf(line) > 0)
      .map((line) => ({ lineId: line.lineId, quantity: quantityOf(line) }));
    if (!lines.length) return setError(t("form.chooseItems"));
    if (photoRequired && !photos.length) return setError(t("form.photoNeeded"));
    setSending(true);
    setError(undefined);
    const form = new FormData();
    form.set("orderId", options.orderId);
    form.set("requestKey", requestKey);
    form.set("reason", reason);
    form.set("note", note);
    form.set("lines", JSON.stringify(lines));
    for (const photo of photos) form.append("photos", photo, photo.name);
    const answer = await portalFetch<Json<RequestedReturn>>("/api/portal/request", { method: "POST", body: form });
    setSending(false);
    if (answer.ok) return onDone(answer.data);
    setError(answer.message || t("page.failed"));
  }

  return (
    <s-stack gap="base">
      {error && (
        <s-banner tone="critical" data-error>
          {error}
        </s-banner>
      )}
      <s-section heading={t("form.items")}>
        <s-stack gap="base">
          {options.lines.map((line) => (
            <s-stack key={line.lineId} gap="small-200" data-line={line.lineId}>
              <s-text type="strong">{line.title}</s-text>
              <s-text color="subdued">
                {t("form.bought", { quantity: line.quantity, price: money(line.unitPrice) })}
              </s-text>
              <s-unordered-list>
                {line.reasons.map((verdict) => (
                  <s-list-item key={verdict.reason} data-reason={verdict.reason} data-allowed={String(verdict.allowed)}>
                    {t(`reasons.${verdict.reason}`)}: {verdict.message}
                    {verdict.allowed && verdict.windowEndsAt
                      ? ` ${t("form.until", { at: when(verdict.windowEndsAt) })}`
                      : ""}
                  </s-list-item>
                ))}
              </s-unordered-list>
              {allowedFor(line) && (
                <s-select
                  label={t("form.quantity")}
                  name={`quantity:${line.lineId}`}
                  value={String(quantityOf(line))}
                  onChange={(event) =>
                    setQuantities({
                      ...quantities,
                      [line.lineId]: Number((event.currentTarget as HTMLInputElement).value),
                    })
                  }
                >
                  {Array.from({ length: line.returnableQuantity + 1 }, (_, n) => (
                    <s-option key={n} value={String(n)}>
                      {String(n)}
                    </s-option>
                  ))}
                </s-select>
              )}
            </s-stack>
          ))}
        </s-stack>
      </s-section>
      {offered.length === 0 ? (
        <s-banner tone="info" data-nothing>
          {t("form.nothingReturnable")}
        </s-banner>
      ) : (
        <s-section heading={t("form.request")}>
          <s-stack gap="base">
            <s-select
              label={t("form.reason")}
              name="reason"
              value={reason}
              onChange={(event) => setReason((event.currentTarget as HTMLInputElement).value as ReturnReason)}
            >
              {offered.map((r) => (
                <s-option key={r} value={r}>
                  {t(`reasons.${r}`)}
                </s-option>
              ))}
            </s-select>
            <s-text-area
              label={t("form.note")}
              name="note"
              value={note}
              maxLength={2000}
              onChange={(event) => setNote((event.currentTarget as HTMLInputElement).value)}
            />
            {photoRequired && (
              <s-drop-zone
                label={t("form.photos")}
                accept="image/*"
                multiple
                onChange={(event) =>
                  setPhotos([...((event.currentTarget as unknown as { files?: File[] }).files ?? [])])
                }
              />
            )}
            {preview && <Preview preview={preview} />}
            <s-stack gap="small-200" data-dates>
              <s-heading>{t("form.whatNext")}</s-heading>
              {options.dates.notes.map((line) => (
                <s-text key={line}>{line}</s-text>
              ))}
            </s-stack>
            <s-button variant="primary" loading={sending} onClick={() => void submit()} data-submit>
              {t("form.submit")}
            </s-button>
          </s-stack>
        </s-section>
      )}
    </s-stack>
  );
}

function Preview({ preview }: { preview: Json<RefundPreview> }) {
  return (
    <s-stack gap="small-300" data-preview={preview.reason}>
      <s-heading>{t("preview.heading")}</s-heading>
      <s-text data-row="items">{t("preview.items", { amount: money(preview.merchandise) })}</s-text>
      <s-text data-row="tax">{t("preview.tax", { amount: money(preview.tax) })}</s-text>
      {preview.fees.map((fee) => (
        <s-text key={fee.rule + fee.label} data-fee={fee.rule}>
          {t("preview.fee", { label: fee.label, rule: fee.rule, amount: money(fee.amount) })}
        </s-text>
      ))}
      {preview.noFeeReason && <s-text data-no-fee>{preview.noFeeReason.message}</s-text>}
      <s-text data-row="shipping">{preview.shippingNote}</s-text>
      <s-text type="strong" data-row="total">
        {t("preview.total", { amount: money(preview.total) })}
      </s-text>
      <s-text color="subdued">{preview.refundNote}</s-text>
    </s-stack>
  );
}

function ReturnRequested({ requested }: { requested: Json<RequestedReturn> }) {
  return (
    <s-stack gap="base" data-requested={requested.returnId}>
      <s-banner tone="success" heading={t("confirmation.heading", { name: requested.name ?? "" })}>
        {t("confirmation.fee", { amount: money(requested.fee) })}
      </s-banner>
      <Preview preview={requested.refundPreview} />
      <s-heading>{t("form.whatNext")}</s-heading>
      <s-unordered-list>
        {requested.nextSteps.map((step) => (
          <s-list-item key={step}>{step}</s-list-item>
        ))}
        {requested.answerBy && (
          <s-list-item>{t("confirmation.answerBy", { at: when(requested.answerBy) })}</s-list-item>
        )}
        {requested.arrivalBy && (
          <s-list-item>{t("confirmation.arrivalBy", { at: when(requested.arrivalBy) })}</s-list-item>
        )}
      </s-unordered-list>
    </s-stack>
  );
}

function CancelOrder({ options, onDone }: { options: Options; onDone: (cancelled: Json<CancelledOrder>) => void }) {
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const { cancellation } = options;
  async function confirm() {
    if (sending) return;
    setSending(true);
    const answer = await portalFetch<Json<CancelledOrder>>("/api/portal/cancel", {
      method: "POST",
      body: JSON.stringify({ orderId: options.orderId }),
      headers: { "Content-Type": "application/json" },
    });
    setSending(false);
    if (answer.ok) return onDone(answer.data);
    setError(answer.message || t("page.failed"));
  }
  return (
    <s-section heading={t("cancel.heading")}>
      <s-stack gap="base" data-cancellation={String(cancellation.allowed)}>
        {error && (
          <s-banner tone="critical" data-error>
            {error}
          </s-banner>
        )}
        <s-text>{cancellation.message}</s-text>
        {cancellation.allowed ? (
          <>
            <s-text>{t("cancel.until", { at: when(cancellation.until) })}</s-text>
            <s-text color="subdued">{t("cancel.refund")}</s-text>
            <s-button variant="primary" tone="critical" loading={sending} onClick={() => void confirm()} data-confirm>
              {t("cancel.confirm")}
            </s-button>
          </>
        ) : (
          <s-text color="subdued">{t("cancel.contact")}</s-text>
        )}
      </s-stack>
    </s-section>
  );
}

function OrderCancelled({ cancelled }: { cancelled: Json<CancelledOrder> }) {
  return (
    <s-banner tone="success" heading={t("cancel.done", { order: cancelled.orderName })} data-cancelled>
      <s-stack gap="small-200">
        <s-text>{cancelled.message}</s-text>
        {cancelled.processOn && <s-text>{t("cancel.processOn", { day: cancelled.processOn })}</s-text>}
        <s-text>{t("cancel.refund")}</s-text>
      </s-stack>
    </s-banner>
  );
}
