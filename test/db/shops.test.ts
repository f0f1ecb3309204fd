import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { presetSettings } from "../../app/policy";
import type * as ShopsService from "../../app/services/shops/shops.server";
import { deployMigrations } from "../../prisma/migrator";
import { stubAppEnv } from "../support/app-env";

const dir = mkdtempSync(join(tmpdir(), "policy-guard-shops-"));
const databaseUrl = `file:${join(dir, "shops.sqlite")}`;
let shops: typeof ShopsService;
let prisma: PrismaClient;

beforeAll(async () => {
  await deployMigrations(databaseUrl);
  stubAppEnv(databaseUrl);
  shops = await import("../../app/services/shops/shops.server");
  prisma = (await import("../../app/db.server")).default;
});
afterAll(async () => {
  await prisma.$disconnect();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe("shop policy settings", () => {
  it("a shop installs with the default ALLU preset, and reinstalling keeps its settings", async () => {
    await shops.ensureShop("allu.myshopify.com");
    expect(await shops.shopSettings("allu.myshopify.com")).toEqual(presetSettings("allu"));
    await prisma.shop.update({ where: { domain: "allu.myshopify.com" }, data: { uninstalledAt: new Date() } });
    const again = await shops.ensureShop("allu.myshopify.com");
    expect(again.uninstalledAt).toBeNull();
    expect(await prisma.shop.count()).toBe(1);
  });

  it("saves valid settings and bumps the revision", async () => {
    const settings = presetSettings("allu");
    settings.returns.windowDays = 21;
    const saved = await shops.saveSettings("allu.myshopify.com", settings);
    // No offline session in this test: settings are saved, and the checkout sync says why it could not run.
    expect(saved).toMatchObject({
      ok: true,
      revision: 2,
      checkoutSync: { ok: false, message: expect.stringMatching(/No offline access token/) },
    });
    expect((await shops.shopSettings("allu.myshopify.com")).returns.windowDays).toBe(21);
  });

  it("rejects invalid settings with every problem and writes nothing", async () => {
    const before = await prisma.shop.findUniqueOrThrow({ where: { domain: "allu.myshopify.com" } });
    const bad = structuredClone(presetSettings("allu")) as Record<string, any>;
    bad.shipping.freeShippingThreshold.amount = -1;
    bad.calendar.timeZone = "Nowhere/Land";
    const result = await shops.saveSettings("allu.myshopify.com", bad);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([
      "calendar.timeZone",
      "shipping.freeShippingThreshold.amount",
    ]);
    const after = await prisma.shop.findUniqueOrThrow({ where: { domain: "allu.myshopify.com" } });
    expect(after).toEqual(before);
  });

  it("a shop never seen reads as the default preset", async () => {
    expect(await shops.shopSettings("new.myshopify.com")).toEqual(presetSettings("allu"));
  });
});
