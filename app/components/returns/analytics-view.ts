import type { ReturnsAnalytics } from "../../services/returns/returns-analytics.server";
import type { ChartRow } from "./chart-with-table";
import { cents, reasonLabel } from "./clock";

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

const RULE_NAMES: Record<string, string> = {
  "RET-1": "RET-1 window or account",
  "RET-2": "RET-2 final sale",
  "RET-3": "RET-3 card only",
  "RET-4": "RET-4 no exchanges",
  "RET-9": "RET-9 wrong-item window",
  staff: "Staff's own reason",
};

/** The analytics as the page shows them: headline figures and the rows of each chart and its table. */
export function analyticsView(a: ReturnsAnalytics) {
  const money = (amount: number) => cents(amount, a.currency);
  const kept = (rule: string) => a.refusedByRule.find((r) => r.rule === rule)?.keptCents ?? 0;
  const days = a.daysToRefund;
  return {
    figures: [
      {
        label: "Return rate (orders)",
        value: percent(a.rate.orders.rate),
        detail: `${a.rate.orders.returned} of ${a.rate.orders.total} orders`,
      },
      {
        label: "Kept by RET-3 and RET-2",
        value: money(kept("RET-3") + kept("RET-2")),
        detail: `card only ${money(kept("RET-3"))} · final sale ${money(kept("RET-2"))}`,
      },
      {
        label: "Label fees kept (RET-7)",
        value: money(a.feesCents),
        detail: `${a.labels.usedBeforeVoiding} of ${a.labels.issued} labels used before voiding, ${a.labels.voidedUnused} voided unused`,
      },
      {
        label: "Wrong-item answers within 24 h",
        value: `${a.wrongItemAnswers.withinClock} of ${a.wrongItemAnswers.reported}`,
        detail: `${a.wrongItemAnswers.late} late · ${a.wrongItemAnswers.unanswered} unanswered · request to refund: ${
          days.average === null
            ? "no refunds"
            : `${days.average.toFixed(1)} days on average, median ${days.median!.toFixed(1)}`
        }`,
      },
    ],
    rates: [
      {
        label: "Orders",
        value: round(a.rate.orders.rate * 100),
        shown: `${percent(a.rate.orders.rate)} (${a.rate.orders.returned} of ${a.rate.orders.total})`,
      },
      {
        label: "Units",
        value: round(a.rate.units.rate * 100),
        shown: `${percent(a.rate.units.rate)} (${a.rate.units.returned} of ${a.rate.units.total})`,
      },
      {
        label: "Value",
        value: round(a.rate.valueCents.rate * 100),
        shown: `${percent(a.rate.valueCents.rate)} (${money(a.rate.valueCents.returned)} of ${money(a.rate.valueCents.total)})`,
      },
    ] satisfies ChartRow[],
    reasons: a.reasons.map((r) => ({ label: reasonLabel(r.reason), value: r.count })) satisfies ChartRow[],
    refused: a.refusedByRule.map((r) => ({
      label: RULE_NAMES[r.rule] ?? r.rule,
      value: r.count,
      shown: `${r.count} (${money(r.keptCents)})`,
    })) satisfies ChartRow[],
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
