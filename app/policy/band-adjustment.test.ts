import { describe, expect, it } from "vitest";
import { needsWristSize, parseWristSize } from "./band-adjustment";

describe("watch band adjustment: wrist size asked on watch lines", () => {
  it("asks on watches only", () => {
    expect(needsWristSize("Watches")).toBe(true);
    expect(needsWristSize("Wrist watch")).toBe(true);
    expect(needsWristSize("Handbags")).toBe(false);
    expect(needsWristSize("Watchband-free bracelets")).toBe(false);
    expect(needsWristSize(null)).toBe(false);
  });

  it("reads centimetres and inches, bare numbers by size, and saves centimetres", () => {
    expect(parseWristSize("16.5")).toEqual({ ok: true, centimetres: 16.5, value: "16.5 cm" });
    expect(parseWristSize(" 17 cm ")).toEqual({ ok: true, centimetres: 17, value: "17 cm" });
    expect(parseWristSize("16,5cm")).toMatchObject({ centimetres: 16.5 });
    expect(parseWristSize("6.5 in")).toEqual({ ok: true, centimetres: 16.5, value: "16.5 cm (6.5 in)" });
    expect(parseWristSize('7"')).toMatchObject({ centimetres: 17.8 });
    expect(parseWristSize("6.5")).toMatchObject({ centimetres: 16.5, value: "16.5 cm (6.5 in)" });
  });

  it("refuses text that is not a size, and sizes no band fits", () => {
    expect(parseWristSize("")).toEqual({ ok: false, error: "wristSize.invalid" });
    expect(parseWristSize("medium")).toEqual({ ok: false, error: "wristSize.invalid" });
    expect(parseWristSize("16.5 mm")).toEqual({ ok: false, error: "wristSize.invalid" });
    expect(parseWristSize("11 cm")).toEqual({ ok: false, error: "wristSize.outOfRange" });
    expect(parseWristSize("30")).toEqual({ ok: false, error: "wristSize.outOfRange" });
    expect(parseWristSize("3 in")).toEqual({ ok: false, error: "wristSize.outOfRange" });
  });
});
