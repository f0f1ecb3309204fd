import { describe, expect, it } from "vitest";
import pageEn from "../../return-portal-page/locales/en.default.json";
import pageJa from "../../return-portal-page/locales/ja.json";
import en from "../locales/en.default.json";
import ja from "../locales/ja.json";

function keys(node: object, prefix = ""): string[] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === "object" ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const STATUSES = [
  "requested",
  "approved",
  "in_transit",
  "received",
  "inspected",
  "refunded",
  "closed",
  "declined",
  "cancelled",
  "label_voided",
  "rejected",
  "lost",
];

describe("return portal extensions' locales", () => {
  for (const [name, english, japanese] of [
    ["return-portal-actions", en, ja],
    ["return-portal-page", pageEn, pageJa],
  ] as const) {
    it(`${name}: Japanese has every English key, with the same placeholders`, () => {
      expect(keys(japanese).sort()).toEqual(keys(english).sort());
      const lookup = (dict: object, key: string) =>
        key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], dict) as string;
      for (const key of keys(english))
        expect(placeholders(lookup(japanese, key)), key).toEqual(placeholders(lookup(english, key)));
    });
  }

  it("name every state a return can be in (portal-types ReturnStatus)", () => {
    expect(Object.keys(en.status).sort()).toEqual([...STATUSES].sort());
  });
});
