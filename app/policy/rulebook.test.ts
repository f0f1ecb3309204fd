import { fileURLToPath } from "node:url";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { PRESETS } from "./presets";
import { RULE_IDS } from "./rules";
import { policySummary } from "./summary";

const HERE = dirname(fileURLToPath(import.meta.url));

const ROOT = join(HERE, "../..");

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules") return [];
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the rule book (docs/POLICY.md)", () => {
  it("every rule id of the rule book is known to the code, and no other", () => {
    const book = readFileSync(join(ROOT, "docs/POLICY.md"), "utf8");
    const ids = [...new Set(book.match(/^\| ([A-Z]{3}-\d+) \|/gm)?.map((row) => row.slice(2, -2)))];
    expect(ids.sort()).toEqual([...RULE_IDS].sort());
  });

  it("every rule id appears in the name of at least one test", () => {
    const names = [...new Set(["app", "test"].flatMap((dir) => testFiles(join(ROOT, dir))))]
      .flatMap((file) => [...readFileSync(file, "utf8").matchAll(/(?:describe|it)\(\s*"([^"]+)"/g)].map((m) => m[1]!))
      .join("\n");
    const missing = RULE_IDS.filter((id) => !new RegExp(`\\b${id}\\b`).test(names));
    expect(missing).toEqual([]);
  });

  it("the admin summary describes every rule id once, for every preset", () => {
    for (const settings of Object.values(PRESETS)) {
      expect(policySummary(settings).map((r) => r.rule)).toEqual([...RULE_IDS]);
    }
  });
});
