
-- CreateIndex
CREATE INDEX "cert_name_id_idx" ON "cert"("name", "id");

-- CreateIndex
CREATE INDEX "contact_stateCode_name_id_idx" ON "contact"("stateCode", "name", "id");

-- CreateIndex
CREATE INDEX "contact_name_id_idx" ON "contact"("name", "id");

-- CreateIndex
CREATE INDEX "disclosure_updatedAt_id_idx" ON "disclosure"("updatedAt", "id");

