import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

/**
 * Run a TypeScript script as one node process: `node --import tsx script.ts`.
 * A signal sent to the returned child reaches the process doing the work.
 * (`tsx script.ts`, i.e. `node node_modules/tsx/dist/cli.mjs script.ts`, runs
 * the script in a child process of its own: SIGKILL ends only that wrapper and
 * the script keeps running with parent 1.)
 */
export function spawnTypeScript(script: string, args: string[], options: SpawnOptions): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script, ...args], options);
}

/** Resolves once the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * How a pid looks from outside: whether signal 0 still reaches it (ESRCH when
 * no such process exists) and whether /proc lists it.
 */
export function probe(pid: number): { signal0: "delivered" | string; inProc: boolean } {
  let signal0 = "delivered";
  try {
    process.kill(pid, 0);
  } catch (error) {
    signal0 = (error as NodeJS.ErrnoException).code ?? String(error);
  }
  return { signal0, inProc: existsSync(`/proc/${pid}`) };
}

/** A process's state letter from /proc/<pid>/stat (R, S, D, T, Z zombie, …), or null when there is none. */
export function processState(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)!.split(" ")[0]!;
  } catch {
    return null;
  }
}

/**
 * Whether a process is still running: listed and not a zombie. (A zombie has
 * exited; it waits only for its parent, here often init, to collect its status.)
 */
export function running(pid: number): boolean {
  const state = processState(pid);
  return state !== null && state !== "Z" && state !== "X";
}

/**
 * Live processes whose environment holds `name=value`, from /proc/<pid>/environ
 * (Linux). Zombies have an empty environ and are not counted; processes of
 * other users cannot be read and are skipped.
 */
export function processesWithEnv(name: string, value: string): number[] {
  const entry = Buffer.from(`${name}=${value}\0`);
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // ended meanwhile, or not ours
    }
    for (let at = environ.indexOf(entry); at !== -1; at = environ.indexOf(entry, at + 1)) {
      if (at === 0 || environ[at - 1] === 0) {
        found.push(Number(pid));
        break;
      }
    }
  }
  return found.sort((a, b) => a - b);
}

/** A process and every live process descended from it, from the parent pids in /proc/<pid>/stat (Linux). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      // The fields after the command name, which is in parentheses: state, then the parent pid.
      const parent = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)!.split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(pid)]);
    } catch {
      // ended meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree.sort((a, b) => a - b);
}

/**
 * Live processes whose environment holds `name=value`, other than those of
 * `except()` (e.g. a database cluster's process tree, read after the scan so a
 * process it started meanwhile is not taken for a stray one).
 */
export function strayProcessesWithEnv(name: string, value: string, except: () => number[] = () => []): number[] {
  const found = processesWithEnv(name, value);
  const expected = new Set(except());
  // A process that ended between the scan and now is not left over.
  return found.filter((pid) => !expected.has(pid) && running(pid));
}

/**
 * Wait (up to `waitMs`) until no live process has `name=value` in its
 * environment, other than those of `except()`; returns those still alive then.
 */
export async function noneLeftWithEnv(
  name: string,
  value: string,
  waitMs: number,
  except?: () => number[],
): Promise<number[]> {
  const deadline = Date.now() + waitMs;
  let alive = strayProcessesWithEnv(name, value, except);
  while (alive.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    alive = strayProcessesWithEnv(name, value, except);
  }
  return alive;
}

/** The command line of a live process, its arguments joined by spaces. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/**
 * SIGKILL every live process whose environment holds `name=value`, then wait
 * (up to `waitMs`) until none is left. Returns the pids it killed and those
 * still alive after the wait.
 */
export async function killAllWithEnv(
  name: string,
  value: string,
  waitMs = 5_000,
): Promise<{ killed: number[]; alive: number[] }> {
  // Never this process (its environment as started does not hold the mark, but be sure).
  const killed = processesWithEnv(name, value).filter((pid) => pid !== process.pid);
  for (const pid of killed) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return { killed, alive: await noneLeftWithEnv(name, value, waitMs) };
}
