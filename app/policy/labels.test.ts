import { describe, expect, it } from "vitest";
import {
  firstScanVerdict,
  LABEL_FILE_MAX_BYTES,
  labelFileProblem,
  labelVoidsAt,
  lostInTransit,
  returnArrivalDeadline,
  shouldVoid,
} from "./labels";
import { presetSettings } from "./settings";

const settings = presetSettings(); // America/New_York, US federal holidays, 2 business days, 14 days to arrive
const at = (iso: string) => new Date(iso);

describe("RET-6: when a label voids", () => {
  it.each([
    // issued (UTC)                 voids at (UTC) = 23:59:59.999 New York time
    ["2026-12-02T15:00:00Z", "2026-12-05T04:59:59.999Z", "Wed → Fri"],
    ["2026-12-04T15:00:00Z", "2026-12-09T04:59:59.999Z", "Fri → Tue over the weekend"],
    ["2026-12-05T15:00:00Z", "2026-12-09T04:59:59.999Z", "Sat: Mon and Tue count"],
    ["2026-12-23T15:00:00Z", "2026-12-29T04:59:59.999Z", "Wed 23 Dec → Mon 28 Dec over Christmas (Fri 25)"],
    ["2026-11-25T15:00:00Z", "2026-12-01T04:59:59.999Z", "Wed before Thanksgiving → Mon 30 Nov"],
    [
      "2026-07-02T15:00:00Z",
      "2026-07-08T03:59:59.999Z",
      "Thu 2 Jul → Tue 7 Jul (Independence Day observed Fri 3, EDT)",
    ],
    ["2026-12-31T15:00:00Z", "2027-01-06T04:59:59.999Z", "Thu 31 Dec → Tue 5 Jan (New Year's Day Fri 1)"],
  ])("issued %s voids %s (%s)", (issued, voids) => {
    expect(labelVoidsAt(at(issued), settings).toISOString()).toBe(voids);
  });

  it("counts from the store's local day, not the UTC day", () => {
    // Wed 2 Dec 23:30 New York is already Thu 3 Dec in UTC: still Wednesday's label.
    expect(labelVoidsAt(at("2026-12-03T04:30:00Z"), settings).toISOString()).toBe("2026-12-05T04:59:59.999Z");
  });

  it("follows the shop's own zone and number of days", () => {
    const la = { ...settings, calendar: { ...settings.calendar, timeZone: "America/Los_Angeles" } };
    expect(labelVoidsAt(at("2026-12-02T15:00:00Z"), la).toISOString()).toBe("2026-12-05T07:59:59.999Z");
    const three = { ...settings, returns: { ...settings.returns, labelVoidBusinessDays: 3 } };
    expect(labelVoidsAt(at("2026-12-23T15:00:00Z"), three).toISOString()).toBe("2026-12-30T04:59:59.999Z");
  });
});

describe("RET-6: a first scan after the void is rejected", () => {
  const voidsAt = at("2026-12-29T04:59:59.999Z");
  it("accepts a scan up to and at the void moment", () => {
    expect(firstScanVerdict(at("2026-12-28T20:00:00Z"), voidsAt)).toMatchObject({ allowed: true, rule: "RET-6" });
    expect(firstScanVerdict(voidsAt, voidsAt).allowed).toBe(true);
  });
  it("rejects one a millisecond later", () => {
    expect(firstScanVerdict(new Date(voidsAt.getTime() + 1), voidsAt)).toEqual({
      allowed: false,
      rule: "RET-6",
      code: "SHIPPED_AFTER_VOID",
      message: "Shipped after the label voided: reject (RET-6).",
    });
  });
});

describe("RET-6: the worker voids only unscanned, unvoided labels past their moment", () => {
  const label = { status: "issued", voidsAt: at("2026-12-05T04:59:59.999Z"), firstScanAt: null, voidedAt: null };
  it("not at the moment itself, just after it", () => {
    expect(shouldVoid(label, label.voidsAt)).toBe(false);
    expect(shouldVoid(label, at("2026-12-05T05:00:00Z"))).toBe(true);
  });
  it("never a scanned, voided or uploaded-and-delivered label", () => {
    const later = at("2026-12-10T00:00:00Z");
    expect(shouldVoid({ ...label, firstScanAt: at("2026-12-04T12:00:00Z") }, later)).toBe(false);
    expect(shouldVoid({ ...label, voidedAt: at("2026-12-05T05:00:00Z") }, later)).toBe(false);
    expect(shouldVoid({ ...label, status: "in_transit" }, later)).toBe(false);
    expect(shouldVoid({ ...label, status: "voided" }, later)).toBe(false);
  });
});

describe("RET-12 / RET-13: arrival and lost in transit", () => {
  it("the package must arrive by the end of the 14th calendar day after delivery", () => {
    expect(returnArrivalDeadline(at("2026-12-01T17:00:00Z"), settings)?.toISOString()).toBe("2026-12-16T04:59:59.999Z");
    const none = { ...settings, returns: { ...settings.returns, packageArrivalDays: null } };
    expect(returnArrivalDeadline(at("2026-12-01T17:00:00Z"), none)).toBeNull();
  });

  const arriveBy = at("2026-12-16T04:59:59.999Z");
  const scanned = { firstScanAt: at("2026-12-03T15:00:00Z"), deliveredAt: null, arriveBy };
  it("alerts once a scanned parcel is still not delivered after the date", () => {
    expect(lostInTransit(scanned, arriveBy)).toBeNull();
    expect(lostInTransit(scanned, at("2026-12-16T05:00:00Z"))).toEqual({
      kind: "return_lost",
      rule: "RET-13",
      since: arriveBy,
      message: "The return has not reached the store by its RET-12 date: lost in transit (RET-13).",
    });
  });
  it("not for a delivered parcel, one never scanned, or without a limit", () => {
    const later = at("2026-12-20T00:00:00Z");
    expect(lostInTransit({ ...scanned, deliveredAt: at("2026-12-19T00:00:00Z") }, later)).toBeNull();
    expect(lostInTransit({ ...scanned, firstScanAt: null }, later)).toBeNull();
    expect(lostInTransit({ ...scanned, arriveBy: null }, later)).toBeNull();
  });
});

describe("staff's own label file", () => {
  const pdf = new TextEncoder().encode("%PDF-1.7\n…");
  it("accepts a PDF", () => {
    expect(labelFileProblem({ contentType: "application/pdf", bytes: pdf })).toBeNull();
  });
  it("refuses other types, a renamed file, an empty one and one over the limit", () => {
    expect(labelFileProblem({ contentType: "image/png", bytes: pdf })?.code).toBe("NOT_PDF");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
    expect(labelFileProblem({ contentType: "application/pdf", bytes: png })?.code).toBe("NOT_PDF");
    expect(labelFileProblem({ contentType: "application/pdf", bytes: new Uint8Array() })?.code).toBe("EMPTY");
    const big = new Uint8Array(LABEL_FILE_MAX_BYTES + 1);
    big.set(pdf);
    expect(labelFileProblem({ contentType: "application/pdf", bytes: big })).toMatchObject({
      code: "TOO_LARGE",
      message: "The label file is larger than 2 MB: export a smaller PDF.",
    });
  });
});
