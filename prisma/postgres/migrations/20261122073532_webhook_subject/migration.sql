-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "subject" TEXT;

-- CreateIndex
CREATE INDEX "WebhookEvent_subject_status_idx" ON "WebhookEvent"("subject", "status");
