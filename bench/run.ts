/**
 * `npm run bench` (after a build): every benchmark, one after the other, each
 * printing its figures and targets as JSON. `--quick` shortens the runs.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const extra = process.argv.slice(2);
for (const name of [
  "functions.ts",
  "ui-extensions.ts",
  "webhook-ack.ts",
  "inbox-drain.ts",
  "returns-queue.ts",
  "return-options.ts",
]) {
  console.log(`\n== ${name}`);
  const run = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "bench", name), ...extra],
    { cwd: ROOT, stdio: "inherit" },
  );
  if (run.status !== 0) process.exitCode = 1;
}
