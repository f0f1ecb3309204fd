// The production server (`npm start`): the Remix app behind Express, with webhook
// ingestion answered first on plain node:http — Shopify measures how fast we acknowledge.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

// Fails closed: an unset NODE_ENV means production, whose environment check refuses the
// demo's key, ADMIN_API_ORIGIN, APP_BRIDGE_URL and a local app URL. Set before Express,
// React and the app are loaded, as each reads it. (`vite dev` and the demo set development.)
process.env.NODE_ENV ||= "production";
const { createRequestHandler } = await import("@remix-run/express");
const { default: express } = await import("express");

// BUILD_DIR: where `npm run build` wrote the app (default build/).
const buildDir = resolve(process.env.BUILD_DIR || "build");
const build = await import(pathToFileURL(`${buildDir}/server/index.js`).href);

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static(`${buildDir}/client/assets`, { immutable: true, maxAge: "1y" }));
app.use(express.static(`${buildDir}/client`, { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

// Webhook load shedding (a 503 with Retry-After past a bound; see webhook-admission.server.ts):
// WEBHOOK_MAX_IN_FLIGHT deliveries, WEBHOOK_MAX_QUEUE_MS waiting to be stored, WEBHOOK_MAX_LAG_MS
// of event-loop lag. Unset: the defaults.
const limits = Object.fromEntries(
  [
    ["maxInFlight", "WEBHOOK_MAX_IN_FLIGHT"],
    ["maxQueueMs", "WEBHOOK_MAX_QUEUE_MS"],
    ["maxLagMs", "WEBHOOK_MAX_LAG_MS"],
  ]
    .filter(([, name]) => process.env[name])
    .map(([key, name]) => {
      const value = Number(process.env[name]);
      if (!(value > 0)) throw new Error(`${name} must be a positive number, not ${process.env[name]}`);
      return [key, value];
    }),
);

// Every request Remix would route to the webhooks route (any case, trailing slash,
// percent-encoding, `.data` suffix or query) is received there, admitted or shed, bounded
// while it streams (413 past the limit); the rest reaches Express + Remix.
const { request, checkContinue } = build.entry.module.webhookFrontDoor(app, limits);
const server = createServer(request);
server.on("checkContinue", checkContinue);
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";
// A deep accept queue: a burst of new connections waits to be accepted (and answered, or
// shed) instead of overflowing the default 511 and retrying its SYN after a second or more.
server.listen({ port, host, backlog: 4096 }, () =>
  console.log(`Policy Guard listening on http://${host}:${port} (NODE_ENV=${process.env.NODE_ENV})`),
);
