-- AlterTable
ALTER TABLE "VariantInventory" ADD COLUMN "imageUrl" TEXT;
ALTER TABLE "VariantInventory" ADD COLUMN "productTitle" TEXT;
ALTER TABLE "VariantInventory" ADD COLUMN "variantTitle" TEXT;

-- CreateTable
CREATE TABLE "InventoryAudit" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "checked" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "progressAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "error" TEXT,
    "lastCompletedAt" DATETIME
);
