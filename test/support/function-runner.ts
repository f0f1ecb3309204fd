import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { getQuickJS } from "quickjs-emscripten";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * A Function bundled the way Shopify's JavaScript build does (the
 * @shopify/shopify_function entry with `user-function` aliased to the extension),
 * as one script for QuickJS — the engine Javy compiles into the Wasm module.
 */
export async function bundleFunction(extension: string): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, "node_modules/@shopify/shopify_function/index.ts")],
    alias: { "user-function": join(ROOT, "extensions", extension, "src/index.ts") },
    bundle: true,
    format: "iife",
    target: "es2020",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** Run a bundled Function in QuickJS with a ShopifyFunction shim (readInput/writeOutput), as Javy's runtime provides. */
export async function runInQuickJS(bundle: string, input: unknown): Promise<unknown> {
  const quickjs = await getQuickJS();
  const vm = quickjs.newContext();
  try {
    const shim = vm.evalCode(`
      var __input = ${JSON.stringify(JSON.stringify(input))};
      var __output = null;
      globalThis.ShopifyFunction = {
        readInput: function () { return JSON.parse(__input); },
        writeOutput: function (value) { __output = JSON.stringify(value); },
      };`);
    vm.unwrapResult(shim).dispose();
    const run = vm.evalCode(bundle);
    if (run.error) {
      const error = vm.dump(run.error);
      run.error.dispose();
      throw new Error(`The function failed in QuickJS: ${JSON.stringify(error)}`);
    }
    run.value.dispose();
    const output = vm.getProp(vm.global, "__output");
    const text = vm.dump(output) as string | null;
    output.dispose();
    if (text === null) throw new Error("The function wrote no output");
    return JSON.parse(text);
  } finally {
    vm.dispose();
  }
}
