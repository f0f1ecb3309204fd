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

// Every request Remix would route to the webhooks route (any case, trailing slash,
// percent-encoding, `.data` suffix or query) is received there, bounded while it
// streams (413 past the limit); the rest reaches Express + Remix.
const { request, checkContinue } = build.entry.module.webhookFrontDoor(app);
const server = createServer(request);
server.on("checkContinue", checkContinue);
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";
server.listen(port, host, () =>
  console.log(`Policy Guard listening on http://${host}:${port} (NODE_ENV=${process.env.NODE_ENV})`),
);
