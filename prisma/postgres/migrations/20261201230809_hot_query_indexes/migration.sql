-- CreateIndex
CREATE INDEX "OrderEvent_kind_ref_idx" ON "OrderEvent"("kind", "ref");

-- CreateIndex
CREATE INDEX "OrderDeadline_actedAt_dueAt_idx" ON "OrderDeadline"("actedAt", "dueAt");
