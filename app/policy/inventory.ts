import { deny, type Decision, type Finding, type Notice } from "./rules";
import type { PolicySettings } from "./settings";

type InventorySettings = PolicySettings["inventory"];

/** Which products are one of a kind (INV-1 default: all of them). */
export function isOneOfAKind(productTags: readonly string[], inventory: InventorySettings): boolean {
  if (inventory.oneOfAKind.scope === "all") return true;
  const tag = inventory.oneOfAKind.tag.toLowerCase();
  return productTags.some((t) => t.toLowerCase() === tag);
}

export interface CartLineFacts {
  lineId: string;
  variantId: string;
  quantity: number;
  oneOfAKind: boolean;
}

export interface LineDecision {
  lineId: string;
  decision: Decision;
}

/**
 * INV-1: at most maxUnitsPerVariant units of a one-of-a-kind variant per cart,
 * counted across lines (the same variant on two lines is two units).
 */
export function cartQuantityViolations(lines: readonly CartLineFacts[], inventory: InventorySettings): LineDecision[] {
  const limit = inventory.maxUnitsPerVariant;
  const seen = new Map<string, number>();
  const violations: LineDecision[] = [];
  for (const line of lines) {
    if (!line.oneOfAKind) continue;
    const before = seen.get(line.variantId) ?? 0;
    seen.set(line.variantId, before + line.quantity);
    if (line.quantity > limit) {
      violations.push({
        lineId: line.lineId,
        decision: deny(
          "INV-1",
          "QUANTITY_ABOVE_ONE_OF_A_KIND",
          `This item is one of a kind: you can buy ${limit === 1 ? "only one" : `at most ${limit}`}.`,
        ),
      });
    } else if (before + line.quantity > limit) {
      violations.push({
        lineId: line.lineId,
        decision: deny("INV-1", "DUPLICATE_ONE_OF_A_KIND_LINE", "This one-of-a-kind item is already in your cart."),
      });
    }
  }
  return violations;
}

export interface VariantInventoryFacts {
  variantId: string;
  tracked: boolean;
  inventoryPolicy: "DENY" | "CONTINUE";
  available: number;
}

/** INV-2: a one-of-a-kind variant is tracked, never oversold (DENY) and has at most one available. */
export function variantInventoryFindings(variant: VariantInventoryFacts, inventory: InventorySettings): Finding[] {
  const findings: Finding[] = [];
  if (!variant.tracked) {
    findings.push({
      rule: "INV-2",
      code: "NOT_TRACKED",
      message: "Inventory is not tracked, so a sold item can be bought again.",
    });
  }
  if (variant.inventoryPolicy === "CONTINUE") {
    findings.push({
      rule: "INV-2",
      code: "OVERSELLING_ALLOWED",
      message: "Selling when out of stock is allowed (back-orders).",
    });
  }
  if (variant.available > inventory.maxUnitsPerVariant) {
    findings.push({
      rule: "INV-2",
      code: "TOO_MANY_AVAILABLE",
      message: `${variant.available} units available; a one-of-a-kind item has at most ${inventory.maxUnitsPerVariant}.`,
    });
  }
  return findings;
}

/** INV-3: lines of a new order whose one-of-a-kind variant was already sold on another order. */
export function oversoldLines(lines: readonly CartLineFacts[], soldElsewhere: ReadonlySet<string>): LineDecision[] {
  return lines
    .filter((line) => line.oneOfAKind && soldElsewhere.has(line.variantId))
    .map((line) => ({
      lineId: line.lineId,
      decision: deny("INV-3", "OVERSOLD", "This one-of-a-kind item was already sold on another order."),
    }));
}

export function noReservationNotice(): Notice {
  return {
    rule: "INV-3",
    key: "noReservation",
    message: "Every item is one of a kind and your cart does not reserve it: the first completed checkout gets it.",
  };
}

/** The condition ranks ALLU lists; an unknown rank is still shown as given. */
const CONDITION_RANKS: Record<string, string> = {
  N: "New",
  S: "Unused, flawless",
  SA: "Like new",
  A: "Excellent, light signs of use",
  AB: "Very good, some signs of use",
  B: "Good, visible signs of use",
  BC: "Fair, noticeable wear",
  C: "Worn, clear signs of use",
};

/** INV-4: the item's condition rank, shown under its line. */
export function conditionRankNotice(rank: string | null | undefined): Notice | undefined {
  const code = rank?.trim().toUpperCase();
  if (!code) return undefined;
  const meaning = CONDITION_RANKS[code];
  return meaning
    ? { rule: "INV-4", key: `conditionRank.${code}`, message: `Condition rank ${code}: ${meaning}` }
    : { rule: "INV-4", key: "conditionRank.other", params: { rank: code }, message: `Condition rank ${code}` };
}
