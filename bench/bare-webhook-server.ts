/**
 * The baseline for the webhook ack benchmark: a bare node:http handler doing
 * the same work as POST /webhooks (HMAC check, JSON check, one SQLite insert).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import Database from "better-sqlite3";

const [, , file, secret, port] = process.argv as [string, string, string, string, string];
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.exec(
  `CREATE TABLE IF NOT EXISTS inbox (webhook_id TEXT PRIMARY KEY, shop TEXT, topic TEXT, body TEXT, received_at INTEGER)`,
);
const insert = db.prepare("INSERT OR IGNORE INTO inbox VALUES (?, ?, ?, ?, ?)");

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const expected = createHmac("sha256", secret).update(body, "utf8").digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    try {
      JSON.parse(body);
    } catch {
      res.writeHead(400).end();
      return;
    }
    insert.run(
      req.headers["x-shopify-webhook-id"],
      req.headers["x-shopify-shop-domain"],
      req.headers["x-shopify-topic"],
      body,
      Date.now(),
    );
    res.writeHead(200).end("OK");
  });
}).listen(Number(port), "127.0.0.1", () => console.log("ready"));
