import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { parse } from "smol-toml";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

export interface BundleSize {
  name: string;
  bytes: number;
  gzipBytes: number;
}

interface ExtensionToml {
  extensions: Array<{ targeting: Array<{ target: string; module: string }> }>;
}

async function bundle(name: string, contents: string, resolveDir: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir, loader: "ts" },
    bundle: true,
    format: "esm",
    target: "es2020",
    minify: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  return { name, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

/**
 * A UI extension built as shipped: minified, Preact, everything it imports
 * (app/policy included) — once per target module, and once as the whole extension.
 */
export async function uiExtensionSizes(extension: string): Promise<{ total: BundleSize; targets: BundleSize[] }> {
  const dir = join(ROOT, "extensions", extension);
  const toml = parse(readFileSync(join(dir, "shopify.extension.toml"), "utf8")) as unknown as ExtensionToml;
  const targeting = toml.extensions[0]!.targeting;
  const targets = await Promise.all(
    targeting.map((t) => bundle(t.target, `export { default } from ${JSON.stringify(t.module)};`, dir)),
  );
  const all = targeting.map((t, i) => `export { default as target${i} } from ${JSON.stringify(t.module)};`).join("\n");
  return { total: await bundle(extension, all, dir), targets };
}
