import type { Api } from "@shopify/ui-extensions/admin.order-details.block.render";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { loadView, type Load, type OrderPolicyView } from "./view";

export default async () => {
  render(<OrderBlock />, document.body);
};

/** The host's API, a global in the extension's sandbox (as Shopify CLI's generated shopify.d.ts declares it). */
declare const shopify: Api;

type Translate = (key: string, params?: Record<string, string>) => string;

/** On Shopify's order page: what Policy Guard knows and decides about this order. */
function OrderBlock() {
  const t = shopify.i18n.translate as Translate;
  const orderId = shopify.data.selected[0]?.id ?? "";
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setLoad({ state: "loading" });
    void loadView(orderId).then((result) => current && setLoad(result));
    return () => {
      current = false;
    };
  }, [orderId, attempt]);

  return (
    <s-admin-block heading={t("heading")}>
      {load.state === "loading" && <s-spinner accessibilityLabel={t("loading")} />}
      {load.state === "error" && (
        <s-banner tone="critical" heading={t("error")}>
          <s-stack gap="small">
            <s-text>{load.message}</s-text>
            <s-button onClick={() => setAttempt(attempt + 1)}>{t("retry")}</s-button>
          </s-stack>
        </s-banner>
      )}
      {load.state === "pending" && <s-text data-state="pending">{t("pending")}</s-text>}
      {load.state === "ready" && <PolicyView view={load.view} t={t} />}
    </s-admin-block>
  );
}

function PolicyView({ view, t }: { view: OrderPolicyView; t: Translate }) {
  const { cancellation } = view;
  return (
    <s-stack gap="base">
      {view.alerts.length > 0 && (
        <s-banner tone="warning" heading={t("alerts")} data-section="alerts">
          <s-unordered-list>
            {view.alerts.map((a) => (
              <s-list-item key={a.kind}>{`${a.rule} ${a.label}, ${t("since", { at: a.sinceText })}`}</s-list-item>
            ))}
          </s-unordered-list>
        </s-banner>
      )}
      <s-section heading={t("deadlines")} data-section="deadlines">
        {view.deadlines.length === 0 ? (
          <s-text>{t("noDeadlines")}</s-text>
        ) : (
          <s-unordered-list>
            {view.deadlines.map((d) => (
              <s-list-item key={d.key} data-overdue={d.overdue ? "true" : undefined}>
                {d.overdue && <s-badge tone="critical">{t("overdue")}</s-badge>}
                {` ${d.rule} ${d.label}: ${d.atText}${d.projected ? ` (${t("projected")})` : ""}`}
              </s-list-item>
            ))}
          </s-unordered-list>
        )}
        <s-text data-section="cancellation">
          {cancellation.allowed
            ? t("cancellable", { at: cancellation.windowEndsText, rule: cancellation.rule })
            : t("notCancellable", { rule: cancellation.rule, reason: cancellation.message })}
        </s-text>
      </s-section>
      <s-section heading={t("returns")} data-section="returns">
        <s-unordered-list>
          {view.lines.map((line) => (
            <s-list-item key={line.id} data-line={line.id}>
              <s-badge tone={line.returnable ? "success" : "neutral"}>
                {t(line.returnable ? "returnable" : "notReturnable")}
              </s-badge>
              {` ${line.title}: ${line.verdicts.map((v) => `${v.rule} ${v.message}`).join(" ")}`}
              {line.windowEndsText ? ` ${t("windowEnds", { at: line.windowEndsText })}` : ""}
            </s-list-item>
          ))}
        </s-unordered-list>
      </s-section>
      <s-section heading={t("timeline")} data-section="timeline">
        <s-unordered-list>
          {view.timeline.map((e) => (
            <s-list-item key={`${e.kind}-${e.atText}`}>{`${e.label}: ${e.atText}`}</s-list-item>
          ))}
        </s-unordered-list>
      </s-section>
    </s-stack>
  );
}
