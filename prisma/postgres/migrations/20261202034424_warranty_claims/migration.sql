-- CreateTable
CREATE TABLE "WarrantyClaim" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderLineId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "claimKey" TEXT NOT NULL,
    "defect" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "covered" BOOLEAN NOT NULL,
    "rule" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "sentence" TEXT NOT NULL,
    "coverageEndsAt" TIMESTAMP(3),
    "photos" JSONB NOT NULL,
    "quoteCents" INTEGER,
    "quoteCurrency" TEXT,
    "draftOrderId" TEXT,
    "invoiceUrl" TEXT,
    "invoiceSentAt" TIMESTAMP(3),
    "staffNote" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "filedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WarrantyClaim_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WarrantyClaim_shop_status_filedAt_idx" ON "WarrantyClaim"("shop", "status", "filedAt");

-- CreateIndex
CREATE INDEX "WarrantyClaim_orderId_idx" ON "WarrantyClaim"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "WarrantyClaim_shop_claimKey_key" ON "WarrantyClaim"("shop", "claimKey");

-- AddForeignKey
ALTER TABLE "WarrantyClaim" ADD CONSTRAINT "WarrantyClaim_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
