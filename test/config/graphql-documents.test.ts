import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { loadSchema } from "../support/admin-schema";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Every template literal tagged with a leading `#graphql` comment, as Shopify's tooling finds them. */
const documents = sourceFiles(join(ROOT, "app")).flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/`(#graphql[\s\S]*?)`/g)].map((m) => ({
    file: relative(ROOT, file),
    source: m[1]!,
  })),
);

describe("GraphQL documents the app sends", () => {
  it("exist", () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  it.each(documents.map((d) => [d.file, d.source.split("\n")[1]?.trim() ?? "", d.source] as const))(
    "%s: %s validates against Admin API 2026-10",
    (_file, _name, source) => {
      const errors = validate(loadSchema("admin_2026-10"), parse(source));
      expect(errors.map((e) => e.message)).toEqual([]);
    },
  );
});
