import { describe, expect, it } from "vitest";
import {
  deadlineLabel,
  derivedEvents,
  orderAlerts,
  orderDeadlines,
  processingStartDay,
  returnDeadline,
  upcomingDeadlines,
  type DeadlineKey,
  type OrderFacts,
} from "./deadlines";
import { presetSettings } from "./settings";
import { at } from "../../test/support/policy-builders";

const settings = presetSettings("allu");
const facts = (overrides: Partial<OrderFacts> = {}): OrderFacts => ({
  placedAt: at("2026-11-20T16:30:00-05:00"), // Friday, after the cut-off
  cancelledAt: null,
  shippedAt: null,
  deliveredAt: null,
  awaitingPaymentOnDelivery: false,
  returnLabelIssuedAt: null,
  wrongItemReportedAt: null,
  refundedAt: null,
  ...overrides,
});
const byKey = (f: OrderFacts) =>
  Object.fromEntries(orderDeadlines(f, settings).map((d) => [d.key, d.at.toISOString()])) as Partial<
    Record<DeadlineKey, string>
  >;

describe("TML-1 processing start", () => {
  it("an order after 16:00 on Friday starts processing Monday", () => {
    expect(processingStartDay(at("2026-11-20T16:30:00-05:00"), settings)).toBe("2026-11-23");
    expect(byKey(facts()).processing_starts).toBe("2026-11-23T05:00:00.000Z");
  });

  it("an order at 15:59:59 on a business day starts at once", () => {
    const placedAt = at("2026-11-20T15:59:59-05:00");
    expect(byKey(facts({ placedAt })).processing_starts).toBe(placedAt.toISOString());
  });

  it("an order on Thanksgiving starts Friday", () => {
    expect(processingStartDay(at("2026-11-26T09:00:00-05:00"), settings)).toBe("2026-11-27");
  });
});

describe("TML-2 ship-by and TML-3 expected delivery", () => {
  it("ship by the end of the 2nd business day after processing starts (Thanksgiving week)", () => {
    expect(byKey(facts()).ship_by).toBe("2026-11-26T04:59:59.999Z");
  });

  it("before shipping, delivery is projected 1+5 to 2+10 business days from processing start", () => {
    const deadlines = orderDeadlines(facts(), settings);
    const from = deadlines.find((d) => d.key === "delivery_expected_from");
    expect(from).toMatchObject({ rule: "TML-3", projected: true });
    expect(from?.at.toISOString()).toBe("2026-12-02T05:00:00.000Z");
    expect(byKey(facts()).delivery_expected_by).toBe("2026-12-11T04:59:59.999Z");
  });

  it("once shipped, delivery is 5–10 business days from the ship date", () => {
    const shipped = byKey(facts({ shippedAt: at("2026-11-25T14:00:00-05:00") }));
    expect(shipped.delivery_expected_from).toBe("2026-12-03T05:00:00.000Z");
    expect(shipped.delivery_expected_by).toBe("2026-12-11T04:59:59.999Z");
  });
});

describe("TML-4 not received and TML-5 carrier claim", () => {
  it("15 and 18 business days from the ship date", () => {
    const shipped = byKey(facts({ shippedAt: at("2026-11-25T14:00:00-05:00") }));
    expect(shipped.not_received_contact_from).toBe("2026-12-18T04:59:59.999Z");
    expect(shipped.carrier_claim_by).toBe("2026-12-23T04:59:59.999Z");
  });

  it("across Christmas and New Year's Day", () => {
    const shipped = byKey(
      facts({ placedAt: at("2026-12-09T10:00:00-05:00"), shippedAt: at("2026-12-10T14:00:00-05:00") }),
    );
    expect(shipped.carrier_claim_by).toBe("2027-01-08T04:59:59.999Z");
  });
});

describe("TML-6 payment on delivery and TML-7 receipt", () => {
  it("unpaid COD orders are due 7 days after shipping; receipts last 30 days", () => {
    const shipped = byKey(facts({ shippedAt: at("2026-11-25T14:00:00-05:00"), awaitingPaymentOnDelivery: true }));
    expect(shipped.payment_on_delivery_by).toBe("2026-12-03T04:59:59.999Z");
    expect(shipped.receipt_available_until).toBe("2026-12-26T04:59:59.999Z");
    expect(byKey(facts({ shippedAt: at("2026-11-25T14:00:00-05:00") })).payment_on_delivery_by).toBeUndefined();
  });
});

describe("return deadlines after delivery", () => {
  const delivered = facts({ shippedAt: at("2026-11-25T14:00:00-05:00"), deliveredAt: at("2026-12-03T11:00:00-05:00") });

  it("RET-1 return request by the end of the 14th day; RET-12 the package must arrive by then too", () => {
    expect(byKey(delivered).return_request_by).toBe("2026-12-18T04:59:59.999Z");
    expect(byKey(delivered).return_package_arrives_by).toBe("2026-12-18T04:59:59.999Z");
  });

  it("RET-9 wrong item within 7 business days, answered within 24 hours", () => {
    const reported = byKey({ ...delivered, wrongItemReportedAt: at("2026-12-05T10:00:00-05:00") });
    expect(reported.wrong_item_report_by).toBe("2026-12-15T04:59:59.999Z");
    expect(reported.wrong_item_answer_by).toBe("2026-12-06T15:00:00.000Z");
  });

  it("RET-6 the label voids at the end of the 2nd business day after it was issued", () => {
    expect(byKey({ ...delivered, returnLabelIssuedAt: at("2026-12-04T15:00:00-05:00") }).return_label_voids_at).toBe(
      "2026-12-09T04:59:59.999Z",
    );
  });

  it("RET-8 the refund shows by the 15th business day", () => {
    expect(byKey({ ...delivered, refundedAt: at("2026-11-20T11:00:00-05:00") }).refund_visible_by).toBe(
      "2026-12-15T04:59:59.999Z",
    );
  });
});

describe("deadline list", () => {
  it("is sorted by time and names its rule ids", () => {
    const list = orderDeadlines(facts({ shippedAt: at("2026-11-25T14:00:00-05:00") }), settings);
    expect(list.map((d) => d.at.getTime())).toEqual([...list.map((d) => d.at.getTime())].sort((a, b) => a - b));
    expect(list[0]).toMatchObject({ key: "cancellation_window_ends", rule: "CAN-1" });
  });

  it("a cancelled order keeps only its cancellation window", () => {
    expect(orderDeadlines(facts({ cancelledAt: at("2026-11-20T17:00:00-05:00") }), settings).map((d) => d.key)).toEqual(
      ["cancellation_window_ends"],
    );
  });
});

describe("TML-2 late-to-ship and TML-4/5 alerts", () => {
  it("flags late to ship after the ship-by deadline, not before", () => {
    expect(orderAlerts(facts(), settings, at("2026-11-25T23:59:59-05:00"))).toEqual([]);
    expect(orderAlerts(facts(), settings, at("2026-11-26T00:00:00-05:00")).map((a) => a.kind)).toEqual([
      "late_to_ship",
    ]);
  });

  it("flags not received and the claim deadline once 15 business days pass without delivery", () => {
    const shipped = facts({ shippedAt: at("2026-11-25T14:00:00-05:00") });
    expect(orderAlerts(shipped, settings, at("2026-12-18T10:00:00-05:00")).map((a) => a.rule)).toEqual([
      "TML-4",
      "TML-5",
    ]);
    expect(
      orderAlerts(
        { ...shipped, deliveredAt: at("2026-12-17T10:00:00-05:00") },
        settings,
        at("2026-12-18T10:00:00-05:00"),
      ),
    ).toEqual([]);
  });
});

describe("SHP-1 alerts after checkout", () => {
  const usd = (amount: number) => ({ amount, currency: "USD" });
  const shippedFree = (subtotal: number) => ({
    subtotalAfterDiscounts: usd(subtotal),
    shippingCost: { price: usd(2_000), charged: usd(0) },
    countryCode: "US",
  });
  const placedAt = at("2026-11-23T10:00:00-05:00");
  const now = at("2026-11-23T11:00:00-05:00");

  it("flags free shipping below the threshold and shipping charged above it, since the order was placed", () => {
    expect(orderAlerts(facts({ placedAt, shipping: shippedFree(45_000) }), settings, now)).toEqual([
      { kind: "free_shipping_below_threshold", rule: "SHP-1", since: placedAt },
    ]);
    const charged = { ...shippedFree(52_000), shippingCost: { price: usd(2_000), charged: usd(2_000) } };
    expect(orderAlerts(facts({ placedAt, shipping: charged }), settings, now)).toEqual([
      { kind: "free_shipping_withheld", rule: "SHP-1", since: placedAt },
    ]);
  });

  it("says nothing of a cancelled order, one that got what SHP-1 gives, or one whose facts are unknown", () => {
    const cancelled = facts({ placedAt, cancelledAt: now, shipping: shippedFree(45_000) });
    expect(orderAlerts(cancelled, settings, now)).toEqual([]);
    expect(orderAlerts(facts({ placedAt, shipping: shippedFree(60_000) }), settings, now)).toEqual([]);
    expect(orderAlerts(facts({ placedAt, shipping: null }), settings, now)).toEqual([]);
  });
});

describe("upcoming deadlines (TML-2, TML-3, RET-1)", () => {
  it("drop what has passed and what the order's events already settled", () => {
    const placed = facts({ placedAt: at("2026-11-23T10:00:00-05:00") });
    expect(upcomingDeadlines(placed, settings, at("2026-11-23T10:30:00-05:00"))[0]?.key).toBe(
      "cancellation_window_ends",
    );
    const shipped = { ...placed, shippedAt: at("2026-11-24T12:00:00-05:00") };
    expect(upcomingDeadlines(shipped, settings, at("2026-11-24T13:00:00-05:00")).map((d) => d.key)).not.toContain(
      "ship_by",
    );
    const delivered = { ...shipped, deliveredAt: at("2026-11-30T12:00:00-05:00") };
    const next = upcomingDeadlines(delivered, settings, at("2026-11-30T13:00:00-05:00"));
    expect(next.map((d) => d.key)).not.toContain("delivery_expected_by");
    expect(next[0]?.key).toBe("wrong_item_report_by");
    expect(next.map((d) => d.key)).toContain("return_request_by");
  });
});

describe("TML-1 processing and RET-6 label void as derived timeline entries", () => {
  it("processing starts at the computed time unless the order was cancelled first", () => {
    const placed = facts({ placedAt: at("2026-11-20T16:30:00-05:00") }); // starts Monday 00:00
    expect(derivedEvents(placed, settings, at("2026-11-22T12:00:00-05:00"))).toEqual([]);
    expect(derivedEvents(placed, settings, at("2026-11-23T08:00:00-05:00"))).toEqual([
      { kind: "processing", rule: "TML-1", occurredAt: at("2026-11-23T00:00:00-05:00") },
    ]);
    const cancelledFirst = { ...placed, cancelledAt: at("2026-11-20T17:00:00-05:00") };
    expect(derivedEvents(cancelledFirst, settings, at("2026-11-30T08:00:00-05:00"))).toEqual([]);
    const cancelledLater = facts({
      placedAt: at("2026-11-23T10:00:00-05:00"),
      cancelledAt: at("2026-11-23T11:00:00-05:00"),
    });
    expect(derivedEvents(cancelledLater, settings, at("2026-11-30T08:00:00-05:00")).map((e) => e.kind)).toEqual([
      "processing",
    ]);
  });

  it("the label voids after 2 business days unless the package shipped first", () => {
    const label = facts({
      placedAt: at("2026-11-02T10:00:00-05:00"),
      shippedAt: at("2026-11-03T10:00:00-05:00"),
      returnLabelIssuedAt: at("2026-11-20T15:00:00-05:00"),
    });
    const after = at("2026-11-26T08:00:00-05:00");
    expect(derivedEvents(label, settings, after).find((e) => e.kind === "label_voided")?.occurredAt).toEqual(
      at("2026-11-24T23:59:59.999-05:00"),
    );
    expect(
      derivedEvents({ ...label, returnShippedAt: at("2026-11-23T09:00:00-05:00") }, settings, after).map((e) => e.kind),
    ).toEqual(["processing"]);
  });
});

describe("deadline names", () => {
  const gid = "gid://shopify/Return/7001";

  it("a return's own deadlines, stored as <kind>:<return gid>, read with their names and rules", () => {
    expect(deadlineLabel(`label_void:${gid}`)).toBe("Return label voids");
    expect(deadlineLabel(`return_arrival:${gid}`)).toBe("Returned package must arrive");
    expect(deadlineLabel(`return_answer:${gid}`)).toBe("Answer the wrong-item claim");
    expect(deadlineLabel(`refund_visible:${gid}`)).toBe("Refund shows on the statement");
    expect(returnDeadline(`label_void:${gid}`)).toEqual({
      kind: "label_void",
      returnId: gid,
      rule: "RET-6",
      label: "Return label voids",
    });
    expect(returnDeadline(`return_arrival:${gid}`)?.rule).toBe("RET-12");
    expect(returnDeadline(`return_answer:${gid}`)?.rule).toBe("RET-9");
    expect(returnDeadline(`refund_visible:${gid}`)?.rule).toBe("RET-8");
  });

  it("the order's own deadlines keep their names; a key nobody named reads as words, never blank", () => {
    expect(deadlineLabel("return_label_voids_at")).toBe("Return label voids at");
    expect(deadlineLabel("ship_by")).toBe("Ship by");
    expect(returnDeadline("ship_by")).toBeNull();
    expect(returnDeadline(`something_else:${gid}`)).toBeNull();
    expect(deadlineLabel(`something_else:${gid}`)).toBe("Something else");
  });
});
