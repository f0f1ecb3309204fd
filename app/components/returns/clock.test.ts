import { describe, expect, it } from "vitest";
import { presetSettings } from "../../policy";
import { returnClock, type ReturnClock } from "../../services/returns/returns-queue.server";
import { clockText } from "./clock";

const zone = "America/New_York";
const now = new Date("2026-12-09T15:00:00Z"); // Wed 10:00 in New York
const clock = (kind: ReturnClock["kind"], label: string, at: Date | null): ReturnClock => ({
  kind,
  label,
  rule: "RET-9",
  at,
  overdue: at !== null && at < now,
});

describe("the clock that matters now, as the Returns page says it", () => {
  it("reads hours for an answer, a weekday and time for a label, a date for an arrival", () => {
    expect(clockText(clock("answer_due", "Answer due", new Date("2026-12-09T18:00:00Z")), now, zone)).toBe(
      "Answer due in 3 h",
    );
    expect(clockText(clock("label_voids", "Label voids", new Date("2026-12-11T04:59:00Z")), now, zone)).toBe(
      "Label voids Thu 23:59",
    );
    expect(clockText(clock("must_arrive", "Must arrive by", new Date("2026-12-14T20:00:00Z")), now, zone)).toBe(
      "Must arrive by Dec 14",
    );
    expect(clockText(clock("refund_due", "Refund due", null), now, zone)).toBe("Refund due");
    expect(clockText(clock("answer_due", "Answer due", new Date("2026-12-09T13:00:00Z")), now, zone)).toBe(
      "Answer due: overdue by 2 h",
    );
  });

  it("picks the clock by state: RET-9 for an unanswered wrong-item report, none once answered", () => {
    const settings = presetSettings("allu");
    const base = {
      id: "gid://shopify/Return/1",
      reason: "wrong_item",
      requestedAt: new Date("2026-12-09T12:00:00Z"),
      answeredAt: null,
      receivedAt: null,
      refundedAt: null,
      inspection: null,
      labels: [],
    };
    expect(returnClock({ ...base, status: "requested" }, new Map(), settings, now)).toMatchObject({
      kind: "answer_due",
      at: new Date("2026-12-10T12:00:00Z"),
      overdue: false,
    });
    expect(returnClock({ ...base, status: "requested", answeredAt: now }, new Map(), settings, now)).toBeNull();
    expect(
      returnClock({ ...base, status: "inspected", inspection: { outcome: "passed" } }, new Map(), settings, now),
    ).toMatchObject({ kind: "refund_due", overdue: true });
    expect(
      returnClock({ ...base, status: "inspected", inspection: { outcome: "failed" } }, new Map(), settings, now),
    ).toBeNull();
  });
});
