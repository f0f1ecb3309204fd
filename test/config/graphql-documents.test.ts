import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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

/** A capability's Admin API documents live beside its use cases, in `app/services/<capability>/*-documents.ts`. */
const documentFiles = sourceFiles(join(ROOT, "app/services")).filter((file) => file.endsWith("-documents.ts"));

/** Every exported document: strings that start with Shopify's `#graphql` tag. */
const documents = (
  await Promise.all(
    documentFiles.map(async (file) => {
      const name = relative(join(ROOT, "app/services"), file);
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      return Object.entries(module)
        .filter(
          (entry): entry is [string, string] =>
            typeof entry[1] === "string" && entry[1].trimStart().startsWith("#graphql"),
        )
        .map(([exportName, source]) => ({ name: `${name}: ${exportName}`, source }));
    }),
  )
).flat();

describe("GraphQL documents the app sends", () => {
  it("all live in a capability's documents file", () => {
    const elsewhere = sourceFiles(join(ROOT, "app"))
      .filter((file) => !documentFiles.includes(file) && readFileSync(file, "utf8").includes("#graphql"))
      .map((file) => relative(ROOT, file));
    expect(elsewhere).toEqual([]);
    expect(documents.length).toBeGreaterThan(3);
  });

  it.each(documents.map((d) => [d.name, d.source] as const))(
    "%s validates against Admin API 2026-10",
    (_name, source) => {
      expect(validate(loadSchema("admin_2026-10"), parse(source)).map((e) => e.message)).toEqual([]);
    },
  );
});
