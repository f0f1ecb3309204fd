-- AlterTable
ALTER TABLE "VariantInventory" ADD COLUMN     "imageUrl" TEXT,
ADD COLUMN     "productTitle" TEXT,
ADD COLUMN     "variantTitle" TEXT;

-- CreateTable
CREATE TABLE "InventoryAudit" (
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "checked" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "progressAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,
    "lastCompletedAt" TIMESTAMP(3),

    CONSTRAINT "InventoryAudit_pkey" PRIMARY KEY ("shop")
);
