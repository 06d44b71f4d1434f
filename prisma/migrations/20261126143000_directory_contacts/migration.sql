-- Trigram indexes serve the case-insensitive substring search on names and organisations (ILIKE).
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "ContactKind" AS ENUM ('DIPLOMATIC', 'POLICY', 'TECHNICAL');

-- CreateEnum
CREATE TYPE "EntryStatus" AS ENUM ('ACTIVE', 'INACTIVE');

-- CreateTable
CREATE TABLE "contact" (
    "id" UUID NOT NULL,
    "stateCode" CHAR(3) NOT NULL,
    "kind" "ContactKind" NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "organisation" TEXT,
    "emails" TEXT[],
    "phones" JSONB NOT NULL,
    "available24x7" BOOLEAN NOT NULL DEFAULT false,
    "hours" JSONB,
    "timeZone" TEXT NOT NULL,
    "languages" TEXT[],
    "pgpKey" TEXT,
    "pgpFingerprint" TEXT,
    "pgpAlgorithm" TEXT,
    "pgpExpiresAt" TIMESTAMPTZ(3),
    "notes" TEXT,
    "status" "EntryStatus" NOT NULL DEFAULT 'ACTIVE',
    "lastVerifiedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_revision" (
    "id" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actorUserId" UUID,
    "actorApiKeyId" UUID,
    "changes" JSONB NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_revision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "contact_stateCode_id_idx" ON "contact"("stateCode", "id");

-- CreateIndex
CREATE INDEX "contact_kind_id_idx" ON "contact"("kind", "id");

-- CreateIndex
CREATE INDEX "contact_name_trgm_idx" ON "contact" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "contact_organisation_trgm_idx" ON "contact" USING GIN ("organisation" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "contact_revision_contactId_version_key" ON "contact_revision"("contactId", "version");

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_stateCode_fkey" FOREIGN KEY ("stateCode") REFERENCES "state"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_revision" ADD CONSTRAINT "contact_revision_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

