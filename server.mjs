// The production server (`npm start`): the Remix app behind Express, with webhook
// ingestion answered first on plain node:http — Shopify measures how fast we acknowledge.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import express from "express";

// BUILD_DIR: where `npm run build` wrote the app (default build/).
const buildDir = resolve(process.env.BUILD_DIR || "build");
const build = await import(pathToFileURL(`${buildDir}/server/index.js`).href);
const { ingest } = build.entry.module;

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static(`${buildDir}/client/assets`, { immutable: true, maxAge: "1y" }));
app.use(express.static(`${buildDir}/client`, { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const MAX_BODY = 5 * 1024 * 1024;

function receiveWebhook(req, res) {
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on("end", async () => {
    try {
      const body = Buffer.concat(chunks).toString("utf8");
      const result = await ingest({ body, header: (name) => req.headers[name.toLowerCase()] ?? null });
      res.writeHead(result.status, { "Content-Type": "text/plain; charset=utf-8" }).end(result.message);
    } catch (error) {
      console.error("webhook ingestion failed:", error);
      res
        .writeHead(500, { "Content-Type": "text/plain; charset=utf-8" })
        .end("Internal error: the webhook was not stored");
    }
  });
}

const server = createServer((req, res) => {
  if (req.method === "POST" && (req.url === "/webhooks" || req.url?.startsWith("/webhooks?"))) receiveWebhook(req, res);
  else app(req, res);
});
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";
server.listen(port, host, () => console.log(`Policy Guard listening on http://${host}:${port}`));
