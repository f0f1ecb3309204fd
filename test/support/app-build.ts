import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import { ROOT } from "./server";

/**
 * The app's production build for this test run, in its own directory so a
 * running `npm run demo` or `npm start` keeps its build/. Built once: test
 * files that need it at the same time wait for the first one's build.
 */
export async function appBuild(): Promise<string> {
  const dir = inject("appBuildDir");
  const complete = join(dir, ".complete");
  const lock = join(dir, ".building");
  for (;;) {
    if (existsSync(complete)) return dir;
    try {
      mkdirSync(lock);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      await promisify(execFile)(
        process.execPath,
        [join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"],
        {
          cwd: ROOT,
          env: { ...process.env, BUILD_DIR: dir },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      writeFileSync(complete, "");
      return dir;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
