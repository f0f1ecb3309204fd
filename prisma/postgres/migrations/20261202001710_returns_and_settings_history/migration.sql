-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "compareAtCents" INTEGER,
ADD COLUMN     "productTags" TEXT,
ADD COLUMN     "taxCents" INTEGER;

-- CreateTable
CREATE TABLE "Return" (
    "id" TEXT NOT NULL,
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
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "declineReason" TEXT,
    "declineNote" TEXT,
    "answer" TEXT,
    "answeredAt" TIMESTAMP(3),
    "inspection" JSONB,
    "inspectedAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3),
    "refundCents" INTEGER,
    "refundedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Return_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnLine" (
    "id" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "orderLineId" TEXT NOT NULL,
    "fulfillmentLineItemId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceCents" INTEGER NOT NULL,
    "taxCents" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReturnLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnLabel" (
    "id" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "carrierShipmentId" TEXT,
    "trackingNumber" TEXT,
    "labelUrl" TEXT,
    "reverseDeliveryId" TEXT,
    "status" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "voidsAt" TIMESTAMP(3) NOT NULL,
    "voidedAt" TIMESTAMP(3),
    "firstScanAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReturnLabel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnPhoto" (
    "id" TEXT NOT NULL,
    "returnId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "url" TEXT,
    "contentType" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReturnPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopifyAction" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "result" JSONB,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ShopifyAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SettingsChange" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "preset" TEXT NOT NULL,
    "staffId" TEXT,
    "staffName" TEXT,
    "before" JSONB NOT NULL,
    "after" JSONB NOT NULL,
    "syncReport" JSONB,
    "changedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SettingsChange_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Return" ADD CONSTRAINT "Return_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnLine" ADD CONSTRAINT "ReturnLine_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "Return"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnLabel" ADD CONSTRAINT "ReturnLabel_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "Return"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnPhoto" ADD CONSTRAINT "ReturnPhoto_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "Return"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Settings saved before these fields existed get their documented defaults (POLICY.md):
-- staff decide each return, ineligible native returns are declined, TML-6 only alerts.
UPDATE "Shop" SET "settings" = jsonb_set(jsonb_set(jsonb_set("settings",
  '{returns,autoApprove}', 'false'::jsonb),
  '{returns,declineIneligibleNative}', 'true'::jsonb),
  '{timeline,autoCancelUnpaidOnDelivery}', 'false'::jsonb)
WHERE NOT ("settings" -> 'returns' ? 'autoApprove');
