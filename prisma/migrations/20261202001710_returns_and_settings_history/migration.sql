-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN "compareAtCents" INTEGER;
ALTER TABLE "OrderLine" ADD COLUMN "productTags" TEXT;
ALTER TABLE "OrderLine" ADD COLUMN "taxCents" INTEGER;

-- CreateTable
CREATE TABLE "Return" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "name" TEXT,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "customerId" TEXT,
    "customerNote" TEXT,
    "source" TEXT NOT NULL,
    "requestKey" TEXT,
    "feeCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "decidedAt" DATETIME,
    "declineReason" TEXT,
    "declineNote" TEXT,
    "answer" TEXT,
    "answeredAt" DATETIME,
    "inspection" JSONB,
    "inspectedAt" DATETIME,
    "receivedAt" DATETIME,
    "refundCents" INTEGER,
    "refundedAt" DATETIME,
    "closedAt" DATETIME,
    "shopifyUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Return_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReturnLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "returnId" TEXT NOT NULL,
    "orderLineId" TEXT NOT NULL,
    "fulfillmentLineItemId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceCents" INTEGER NOT NULL,
    "taxCents" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ReturnLine_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "Return" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReturnLabel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "returnId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "carrierShipmentId" TEXT,
    "trackingNumber" TEXT,
    "labelUrl" TEXT,
    "reverseDeliveryId" TEXT,
    "status" TEXT NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    "voidsAt" DATETIME NOT NULL,
    "voidedAt" DATETIME,
    "firstScanAt" DATETIME,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReturnLabel_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "Return" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReturnPhoto" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "returnId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "url" TEXT,
    "contentType" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReturnPhoto_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "Return" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ShopifyAction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "result" JSONB,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "SettingsChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "preset" TEXT NOT NULL,
    "staffId" TEXT,
    "staffName" TEXT,
    "before" JSONB NOT NULL,
    "after" JSONB NOT NULL,
    "syncReport" JSONB,
    "changedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Return_shop_status_requestedAt_idx" ON "Return"("shop", "status", "requestedAt");

-- CreateIndex
CREATE INDEX "Return_orderId_idx" ON "Return"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "Return_shop_requestKey_key" ON "Return"("shop", "requestKey");

-- CreateIndex
CREATE INDEX "ReturnLine_returnId_idx" ON "ReturnLine"("returnId");

-- CreateIndex
CREATE INDEX "ReturnLine_orderLineId_idx" ON "ReturnLine"("orderLineId");

-- CreateIndex
CREATE INDEX "ReturnLabel_returnId_idx" ON "ReturnLabel"("returnId");

-- CreateIndex
CREATE INDEX "ReturnLabel_shop_trackingNumber_idx" ON "ReturnLabel"("shop", "trackingNumber");

-- CreateIndex
CREATE INDEX "ReturnLabel_status_voidsAt_idx" ON "ReturnLabel"("status", "voidsAt");

-- CreateIndex
CREATE INDEX "ReturnPhoto_returnId_idx" ON "ReturnPhoto"("returnId");

-- CreateIndex
CREATE UNIQUE INDEX "ShopifyAction_shop_key_key" ON "ShopifyAction"("shop", "key");

-- CreateIndex
CREATE INDEX "SettingsChange_shop_changedAt_idx" ON "SettingsChange"("shop", "changedAt");

-- Settings saved before these fields existed get their documented defaults (POLICY.md):
-- staff decide each return, ineligible native returns are declined, TML-6 only alerts.
UPDATE "Shop" SET "settings" = json_set("settings",
  '$.returns.autoApprove', json('false'),
  '$.returns.declineIneligibleNative', json('true'),
  '$.timeline.autoCancelUnpaidOnDelivery', json('false'))
WHERE json_extract("settings", '$.returns.autoApprove') IS NULL;
