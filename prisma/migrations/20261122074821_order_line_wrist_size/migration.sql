-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN "wristSize" TEXT;
