-- CreateIndex
CREATE INDEX "notification_createdAt_id_idx" ON "notification"("createdAt", "id");

-- CreateIndex
CREATE INDEX "request_createdAt_id_idx" ON "request"("createdAt", "id");

