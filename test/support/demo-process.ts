import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exited } from "./processes";
import { ROOT } from "./server";

/** Debian's faketime shifts a whole process tree's clock (apt-get install faketime). */
export function faketimeAvailable(): boolean {
  return spawnSync("faketime", ["-f", "+0", "true"]).status === 0;
}

export interface RunningDemo {
  adminUrl: string;
  /** The demo store's clock when it seeded its orders, as the demo printed it. */
  seededAt: Date;
  output(): string;
  stop(): Promise<void>;
}

/**
 * `npm run demo` on a given build, with its own database and free ports, so a
 * demo the developer has open keeps running; optionally with its clock set to
 * `clock` (faketime: the clock starts there and runs on).
 */
export async function startDemo(options: {
  buildDir: string;
  clock?: string;
  env?: Record<string, string>;
}): Promise<RunningDemo> {
  const dir = mkdtempSync(join(tmpdir(), "policy-guard-demo-"));
  const command = ["npm", "run", "demo", "--", "--no-build"];
  const [file, ...args] = options.clock ? ["faketime", "-f", `@${options.clock}`, ...command] : command;
  const child: ChildProcess = spawn(file!, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      TZ: "UTC",
      FAKETIME_DONT_FAKE_MONOTONIC: "1",
      BUILD_DIR: options.buildDir,
      DEMO_DATABASE: join(dir, "demo.sqlite"),
      DEMO_APP_PORT: "0",
      DEMO_ADMIN_PORT: "0",
      ...options.env,
    },
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const running = () => child.exitCode === null && child.signalCode === null;
  const groupAlive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false; // ESRCH: no process of the demo's group is left
    }
  };
  /** Stops the whole demo (npm, tsx, the app and emulator) and proves none of its processes is left. */
  const stop = async () => {
    if (groupAlive()) process.kill(-child.pid!, "SIGTERM");
    await exited(child);
    for (let i = 0; i < 50 && groupAlive(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    rmSync(dir, { recursive: true, force: true });
    if (groupAlive()) throw new Error(`npm run demo (process group ${child.pid}) left processes running`);
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    const admin = /Open the Shopify admin:\s+(\S+)/.exec(output);
    const seeded = /Store clock at seeding: (\S+)/.exec(output);
    if (admin && seeded) return { adminUrl: admin[1]!, seededAt: new Date(seeded[1]!), output: () => output, stop };
    if (!running() || Date.now() > deadline) {
      await stop();
      throw new Error(`npm run demo did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
