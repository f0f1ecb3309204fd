/** A throw-away PostgreSQL cluster on loopback, for tests and for creating migrations. */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin/initdb")));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

export interface ThrowawayPostgres {
  url: string;
  stop(): void;
}

export function startThrowawayPostgres(): ThrowawayPostgres {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL server not found: apt-get install -y postgresql");
  const dir = mkdtempSync(join(tmpdir(), "policy-guard-pg-"));
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root.
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : cmd, asRoot ? ["-u", "postgres", "--", cmd, ...args] : args, { stdio: "pipe" });
  if (asRoot) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), 0);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const data = join(dir, "data");
  run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync"]);
  run(join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    join(dir, "log"),
    "-w",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    "start",
  ]);
  run(join(bin, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "policy_guard"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/policy_guard`,
    stop() {
      const args = ["-D", data, "-m", "immediate", "stop"];
      spawnSync(
        asRoot ? "runuser" : join(bin, "pg_ctl"),
        asRoot ? ["-u", "postgres", "--", join(bin, "pg_ctl"), ...args] : args,
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
