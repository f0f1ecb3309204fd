import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deployMigrations } from "../../prisma/migrator";
import { appBuild } from "../support/app-build";
import { stubAppEnv } from "../support/app-env";
import type * as Endpoint from "../../app/services/webhooks/webhook-endpoint.server";

const dir = mkdtempSync(join(tmpdir(), "policy-guard-paths-"));
let remix: (request: Request) => Promise<Response>;
let destinationOf: typeof Endpoint.destinationOf;
let isWebhookPath: typeof Endpoint.isWebhookPath;

beforeAll(async () => {
  const buildDir = await appBuild();
  const databaseUrl = `file:${join(dir, "app.sqlite")}`;
  await deployMigrations(databaseUrl);
  stubAppEnv(databaseUrl);
  ({ destinationOf, isWebhookPath } = await import("../../app/services/webhooks/webhook-endpoint.server"));
  const build = (await import(pathToFileURL(join(buildDir, "server/index.js")).href)) as ServerBuild;
  remix = createRequestHandler(build, "production");
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether the app's Remix build runs the webhooks route's ingestion for this target (an unsigned body gets its 401). */
async function remixIngests(target: string, method = "POST"): Promise<boolean> {
  const response = await remix(new Request(`http://localhost${target}`, { method, body: "{}" }));
  return response.status === 401 && (await response.text()).includes("X-Shopify-Hmac-Sha256");
}

const percent = (c: string, lower: boolean) => {
  const hex = c.charCodeAt(0).toString(16).padStart(2, "0");
  return `%${lower ? hex : hex.toUpperCase()}`;
};

/** "webhooks" spelled as a client may: any case, any letter percent-encoded. */
const spelling = fc
  .array(fc.tuple(fc.boolean(), fc.constantFrom("plain", "percent", "PERCENT")), { minLength: 8, maxLength: 8 })
  .map((choices) =>
    [..."webhooks"]
      .map((c, i) => {
        const [upper, form] = choices[i]!;
        const letter = upper ? c.toUpperCase() : c;
        return form === "plain" ? letter : percent(letter, form === "percent");
      })
      .join(""),
  );

const target = fc
  .record({
    prefix: fc.constantFrom("/", "/./", "/a/../", "/%2e/", "/%2E/", "/app/../", "//", "/app/", "\\"),
    spelling,
    slashes: fc.constantFrom("", "/", "//", "///"),
    suffix: fc.constantFrom("", ".data", "/.data", ".DATA", "%2Edata", ".data/"),
    // A near miss: one character added somewhere.
    extra: fc.option(fc.tuple(fc.nat(), fc.constantFrom("x", "%2F", "%00", ";", "%20", "-", ".", "%", "s")), {
      freq: 3,
    }),
    query: fc.constantFrom("", "?x=1", "?index", "?_routes=routes%2Fwebhooks", "?_data=routes%2Fwebhooks", "#x"),
  })
  .map(({ prefix, spelling, slashes, suffix, extra, query }) => {
    let path = `${prefix}${spelling}${slashes}${suffix}`;
    if (extra) {
      const at = 1 + (extra[0] % path.length);
      path = path.slice(0, at) + extra[1] + path.slice(at);
    }
    return path + query;
  });

describe("which request targets reach the webhooks route", () => {
  const silenced = () => vi.spyOn(console, "error").mockImplementation(() => {});

  it("the front door recognises exactly the paths Remix routes to the webhooks route", async () => {
    const quiet = silenced();
    try {
      for (const known of ["/webhooks/", "/WEBHOOKS", "/%77ebhooks", "/webhooks.data", "/x/../webhooks?y"]) {
        expect(await remixIngests(known), known).toBe(true);
        expect(isWebhookPath(known), known).toBe(true);
      }
      await fc.assert(
        fc.asyncProperty(target, async (path) => {
          const ingests = await remixIngests(path);
          // Exact, except that a legacy `?_data=` request is taken even where Remix would not route it
          // (the front door's ingestion is the route's own, so taking more is harmless).
          if (path.startsWith("/") && !path.includes("_data=")) expect(isWebhookPath(path), path).toBe(ingests);
          else if (path.startsWith("/")) expect(!ingests || isWebhookPath(path), path).toBe(true);
          // A target that is not a path (`\webhooks`) is refused before routing, so it never reaches Remix.
          else expect(destinationOf(path, "localhost"), path).toBe("invalid");
        }),
        { numRuns: 400 },
      );
    } finally {
      quiet.mockRestore();
    }
  }, 120_000);

  it("takes every method on those paths: Remix would run the route's action for PUT, PATCH and DELETE too", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      // The route itself refuses them now; the front door never lets them reach it.
      const response = await remix(new Request("http://localhost/webhooks/", { method, body: "{}" }));
      expect([method, response.status, response.headers.get("allow")]).toEqual([method, 405, "POST"]);
    }
    expect(destinationOf("/webhooks", "example.com")).toBe("webhooks");
  });

  it("refuses a Host header that is not a host name, as Express would build the URL from it", () => {
    expect(destinationOf("/", "x/webhooks")).toBe("invalid");
    expect(destinationOf("/", "x?")).toBe("invalid");
    expect(destinationOf("/", "")).toBe("invalid");
    expect(destinationOf("/", "policy-guard.example.com:443")).toBe("app");
    expect(destinationOf("/", "[::1]:3000")).toBe("app");
    expect(destinationOf("/", undefined)).toBe("app");
  });
});
