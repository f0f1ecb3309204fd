-- AlterTable
ALTER TABLE "Order" ADD COLUMN "shippingFacts" JSONB;
