import { describe, expect, it } from "vitest";
import { orderState, orderTimeline, type OrderEvent } from "./timeline";
import { at } from "../../test/support/policy-builders";

const ev = (kind: OrderEvent["kind"], iso: string, ref?: string): OrderEvent => ({
  kind,
  occurredAt: at(iso),
  ...(ref ? { ref } : {}),
});

describe("TML-8 each state change once, in order of occurrence", () => {
  const inOrder = [
    ev("placed", "2026-11-20T10:00:00Z"),
    ev("paid", "2026-11-20T10:00:05Z"),
    ev("shipped", "2026-11-23T15:00:00Z", "fulfillment-1"),
    ev("delivered", "2026-11-27T18:00:00Z", "fulfillment-1"),
  ];

  it("arrival order and duplicates do not change the timeline", () => {
    const shuffled = [inOrder[3]!, inOrder[1]!, inOrder[3]!, inOrder[0]!, inOrder[2]!, inOrder[1]!];
    expect(orderTimeline(shuffled)).toEqual(inOrder);
  });

  it("keeps the earliest time when the same event is reported twice", () => {
    const late = ev("shipped", "2026-11-24T15:00:00Z", "fulfillment-1");
    expect(orderTimeline([...inOrder, late]).find((e) => e.kind === "shipped")).toEqual(inOrder[2]);
  });

  it("keeps separate events for separate fulfillments", () => {
    expect(orderTimeline([...inOrder, ev("shipped", "2026-11-24T15:00:00Z", "fulfillment-2")])).toHaveLength(5);
  });

  it("breaks equal timestamps by the life-cycle order", () => {
    const same = [ev("paid", "2026-11-20T10:00:00Z"), ev("placed", "2026-11-20T10:00:00Z")];
    expect(orderTimeline(same).map((e) => e.kind)).toEqual(["placed", "paid"]);
  });

  it("the state is the furthest stage reached; cancelled wins; a voided label is not a state", () => {
    expect(orderState(inOrder)).toBe("delivered");
    expect(
      orderState([
        ...inOrder,
        ev("return_requested", "2026-11-28T10:00:00Z"),
        ev("label_issued", "2026-11-28T11:00:00Z"),
        ev("label_voided", "2026-12-02T05:00:00Z"),
      ]),
    ).toBe("label_issued");
    expect(orderState([inOrder[0]!, ev("cancelled", "2026-11-20T11:00:00Z")])).toBe("cancelled");
    expect(orderState([])).toBeNull();
  });
});
