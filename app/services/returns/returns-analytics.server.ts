import type { PrismaClient } from "@prisma/client";
import type { PolicySettings, RuleId } from "../../policy";
import { RETURN_FACTS } from "./queue-steps.server";
import { returnVerdict } from "./queue-verdict";

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface Rate {
  returned: number;
  total: number;
  /** returned / total, 0 when nothing was sold. */
  rate: number;
}

export interface ReturnsAnalytics {
  period: Period;
  currency: string;
  /** Returns requested in the period against orders placed in it: by orders, units and value. */
  rate: { orders: Rate; units: Rate; valueCents: Rate };
  reasons: Array<{ reason: string; count: number }>;
  /** Declined requests by the rule that blocked them, and the value that stayed sold. */
  refusedByRule: Array<{ rule: RuleId | "staff"; count: number; keptCents: number }>;
  /** RET-7 fees kept from refunds. */
  feesCents: number;
  labels: { issued: number; usedBeforeVoiding: number; voidedUnused: number };
  /** RET-9: wrong-item reports answered within the answer window, of those reported. */
  wrongItemAnswers: { reported: number; withinClock: number; late: number; unanswered: number };
  /** From request to refund, over refunded returns. */
  daysToRefund: { count: number; average: number | null; median: number | null };
}

const rate = (returned: number, total: number): Rate => ({ returned, total, rate: total ? returned / total : 0 });
const DAY = 86_400_000;

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The returns of a period: return rate (orders, units, value), reasons, requests refused by
 * rule (how much RET-3 card-only and RET-2 final sale kept), RET-7 fees kept, labels used
 * before they voided, RET-9 answers within 24 hours, and days from request to refund.
 */
export async function returnsAnalytics(
  db: PrismaClient,
  shop: string,
  period: Period,
  settings: PolicySettings,
): Promise<ReturnsAnalytics> {
  const inPeriod = { gte: period.from, lt: period.to };
  const [orders, units, returns, declined] = await Promise.all([
    db.order.aggregate({
      where: { shop, processedAt: inPeriod },
      _count: { _all: true },
      _sum: { subtotalCents: true },
    }),
    db.orderLine.aggregate({ where: { order: { shop, processedAt: inPeriod } }, _sum: { quantity: true } }),
    db.return.findMany({
      where: { shop, requestedAt: inPeriod },
      select: {
        orderId: true,
        reason: true,
        feeCents: true,
        refundCents: true,
        requestedAt: true,
        refundedAt: true,
        answeredAt: true,
        inspection: true,
        lines: { select: { quantity: true, unitPriceCents: true } },
        labels: { select: { status: true, firstScanAt: true, voidedAt: true } },
      },
    }),
    db.return.findMany({ where: { shop, requestedAt: inPeriod, status: "declined" }, include: RETURN_FACTS }),
  ]);
  const value = (lines: Array<{ quantity: number; unitPriceCents: number }>) =>
    lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0);

  const reasons = new Map<string, number>();
  for (const r of returns) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);

  const refused = new Map<RuleId | "staff", { count: number; keptCents: number }>();
  for (const r of declined) {
    const rule = returnVerdict(r, settings).blockedBy?.rule ?? "staff";
    const entry = refused.get(rule) ?? { count: 0, keptCents: 0 };
    refused.set(rule, { count: entry.count + 1, keptCents: entry.keptCents + value(r.lines) });
  }

  const answerMs = settings.returns.wrongItem.answerHours * 3_600_000;
  const wrongItem = returns.filter((r) => r.reason === "wrong_item");
  const within = wrongItem.filter((r) => r.answeredAt && +r.answeredAt - +r.requestedAt <= answerMs).length;
  const answered = wrongItem.filter((r) => r.answeredAt).length;

  const labels = returns.flatMap((r) => r.labels);
  const refunded = returns.filter((r) => r.refundedAt && r.refundCents !== null);
  const days = refunded.map((r) => (+r.refundedAt! - +r.requestedAt) / DAY);
  const inauthentic = (r: (typeof returns)[number]) =>
    r.reason === "inauthentic" || (r.inspection as { outcome?: string } | null)?.outcome === "inauthentic";

  return {
    period,
    currency: settings.currency,
    rate: {
      orders: rate(new Set(returns.map((r) => r.orderId)).size, orders._count._all),
      units: rate(
        returns.reduce((s, r) => s + r.lines.reduce((n, l) => n + l.quantity, 0), 0),
        units._sum.quantity ?? 0,
      ),
      valueCents: rate(
        returns.reduce((s, r) => s + value(r.lines), 0),
        orders._sum.subtotalCents ?? 0,
      ),
    },
    reasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    refusedByRule: [...refused].map(([rule, e]) => ({ rule, ...e })).sort((a, b) => b.count - a.count),
    feesCents: refunded.filter((r) => !inauthentic(r)).reduce((s, r) => s + r.feeCents, 0),
    labels: {
      issued: labels.length,
      usedBeforeVoiding: labels.filter((l) => l.firstScanAt && (!l.voidedAt || l.firstScanAt <= l.voidedAt)).length,
      voidedUnused: labels.filter((l) => l.voidedAt && !l.firstScanAt).length,
    },
    wrongItemAnswers: {
      reported: wrongItem.length,
      withinClock: within,
      late: answered - within,
      unanswered: wrongItem.length - answered,
    },
    daysToRefund: {
      count: days.length,
      average: days.length ? days.reduce((s, d) => s + d, 0) / days.length : null,
      median: median(days),
    },
  };
}
