import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import pg from "pg";
import { postgresBinDir, startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres";

/**
 * A throw-away PostgreSQL cluster of one test's own (the shared one of the
 * test run stays up for the other files), whose processes carry `mark=value`
 * in their environment so they can be found from outside, and which the test
 * can restart abruptly.
 */
export interface OwnCluster extends ThrowawayPostgres {
  dataDir: string;
  /** The postmaster's pid now, from postmaster.pid. */
  postmasterPid(): number;
  /** `pg_ctl restart -m immediate -w`: backends are killed without a shutdown checkpoint, then crash recovery. */
  restartImmediately(): Promise<{ code: number | null; output: string }>;
}

export async function startOwnCluster(mark: string, value: string): Promise<OwnCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL server not found: apt-get install -y postgresql");
  // pg_ctl, and the postmaster it starts, inherit this process's environment.
  const before = process.env[mark];
  process.env[mark] = value;
  let cluster: ThrowawayPostgres;
  try {
    cluster = startThrowawayPostgres();
  } finally {
    if (before === undefined) delete process.env[mark];
    else process.env[mark] = before;
  }
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  const dataDir = (await client.query<{ data_directory: string }>("SHOW data_directory")).rows[0]!.data_directory;
  await client.end();
  const asRoot = process.getuid?.() === 0;
  const pgCtl = join(bin, "pg_ctl");
  return {
    ...cluster,
    dataDir,
    postmasterPid: () => Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]),
    restartImmediately: () =>
      new Promise((resolve, reject) => {
        // The options it was started with are reused (postmaster.opts); its log goes where it went.
        const args = ["-D", dataDir, "-l", join(dirname(dataDir), "log"), "-m", "immediate", "-w", "restart"];
        const child = spawn(asRoot ? "runuser" : pgCtl, asRoot ? ["-u", "postgres", "--", pgCtl, ...args] : args, {
          env: { ...process.env, [mark]: value },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk) => (output += String(chunk)));
        child.stderr.on("data", (chunk) => (output += String(chunk)));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, output }));
      }),
  };
}
