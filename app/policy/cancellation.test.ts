import { describe, expect, it } from "vitest";
import { cancellationDecision } from "./cancellation";
import { paymentChangeOffer } from "./payment-change";
import { presetSettings } from "./settings";
import { at } from "../../test/support/policy-builders";

const settings = presetSettings("allu");
const facts = (confirmedAt: string, requestedAt: string, extra: { shipped?: boolean; cancelled?: boolean } = {}) => ({
  confirmedAt: at(confirmedAt),
  requestedAt: at(requestedAt),
  anyItemFulfilled: extra.shipped ?? false,
  alreadyCancelled: extra.cancelled ?? false,
});

describe("CAN-1 cancellation within 2 hours of the confirmation", () => {
  it("accepts at exactly 2 hours and refuses one millisecond later", () => {
    const inside = cancellationDecision(facts("2026-11-23T10:00:00-05:00", "2026-11-23T12:00:00.000-05:00"), settings);
    expect(inside).toMatchObject({ allowed: true, rule: "CAN-1", code: "ACCEPTED", processOn: "2026-11-23" });
    expect(inside.windowEndsAt.toISOString()).toBe("2026-11-23T17:00:00.000Z");
    const late = cancellationDecision(facts("2026-11-23T10:00:00-05:00", "2026-11-23T12:00:00.001-05:00"), settings);
    expect(late).toMatchObject({ allowed: false, rule: "CAN-1", code: "WINDOW_CLOSED" });
    expect(late.message).toContain("2 hours");
  });

  it("counts real hours across the DST change (01:30 EST + 2 h = 04:30 EDT)", () => {
    const decision = cancellationDecision(facts("2026-03-08T01:30:00-05:00", "2026-03-08T04:29:00-04:00"), settings);
    expect(decision.allowed).toBe(true);
    expect(decision.windowEndsAt.toISOString()).toBe("2026-03-08T08:30:00.000Z");
  });

  it("uses the shop's window setting (24 hours for the second store)", () => {
    const decision = cancellationDecision(
      facts("2026-11-23T10:00:00-05:00", "2026-11-24T09:00:00-05:00"),
      presetSettings("alleyAccessory"),
    );
    expect(decision.allowed).toBe(true);
  });

  it("refuses an order already cancelled", () => {
    expect(
      cancellationDecision(
        facts("2026-11-23T10:00:00-05:00", "2026-11-23T10:30:00-05:00", { cancelled: true }),
        settings,
      ).code,
    ).toBe("ALREADY_CANCELLED");
  });
});

describe("CAN-2 never once anything shipped", () => {
  it("refuses inside the window when an item is fulfilled", () => {
    const decision = cancellationDecision(
      facts("2026-11-23T10:00:00-05:00", "2026-11-23T10:30:00-05:00", { shipped: true }),
      settings,
    );
    expect(decision).toMatchObject({ allowed: false, rule: "CAN-2", code: "ALREADY_SHIPPED" });
  });
});

describe("CAN-3 weekend and holiday requests are processed the next business day", () => {
  it("a Saturday request is honoured and processed Monday", () => {
    const decision = cancellationDecision(facts("2026-11-21T09:00:00-05:00", "2026-11-21T10:00:00-05:00"), settings);
    expect(decision).toMatchObject({ allowed: true, rule: "CAN-3", processOn: "2026-11-23" });
  });

  it("a Thanksgiving request is processed Friday", () => {
    const decision = cancellationDecision(facts("2026-11-26T09:00:00-05:00", "2026-11-26T10:00:00-05:00"), settings);
    expect(decision).toMatchObject({ allowed: true, rule: "CAN-3", processOn: "2026-11-27" });
  });
});

describe("CAN-4 a payment-method change is cancel and re-order", () => {
  it("inside the window: cancel and order again", () => {
    const decision = paymentChangeOffer(
      cancellationDecision(facts("2026-11-23T10:00:00-05:00", "2026-11-23T10:30:00-05:00"), settings),
    );
    expect(decision).toMatchObject({ allowed: true, rule: "CAN-4", code: "CANCEL_AND_REORDER" });
    expect(decision.released).toMatch(/INV-3/);
  });

  it("outside the window: the cancellation's own refusal, with its rule", () => {
    const cancellation = cancellationDecision(
      facts("2026-11-23T10:00:00-05:00", "2026-11-23T13:00:00-05:00"),
      settings,
    );
    const decision = paymentChangeOffer(cancellation);
    expect(decision).toMatchObject({ allowed: false, rule: "CAN-1", code: "WINDOW_CLOSED", explain: null });
    expect(decision.message).toBe(cancellation.message);
    expect(decision.message).toContain("within 2 hours");
  });
});
