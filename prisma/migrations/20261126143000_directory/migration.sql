-- Trigram indexes serve the case-insensitive substring search on names and organisations (ILIKE).
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "ContactKind" AS ENUM ('DIPLOMATIC', 'POLICY', 'TECHNICAL');

-- CreateEnum
CREATE TYPE "EntryStatus" AS ENUM ('ACTIVE', 'INACTIVE');

-- CreateEnum
CREATE TYPE "CertType" AS ENUM ('NATIONAL', 'GOVERNMENT', 'SECTOR');

-- CreateEnum
CREATE TYPE "TrustedIntroducerStatus" AS ENUM ('NONE', 'LISTED', 'ACCREDITED', 'CERTIFIED');

-- CreateEnum
CREATE TYPE "Sector" AS ENUM ('ENERGY', 'WATER', 'HEALTH', 'FINANCE', 'TELECOMMUNICATIONS_ICT', 'TRANSPORT', 'GOVERNMENT_SERVICES', 'EMERGENCY_SERVICES', 'FOOD_AND_AGRICULTURE', 'CHEMICAL', 'DEFENCE_AND_MILITARY', 'ELECTORAL', 'SPACE', 'OTHER');

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
    "certId" UUID,
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

-- CreateTable
CREATE TABLE "cert" (
    "id" UUID NOT NULL,
    "stateCode" CHAR(3) NOT NULL,
    "name" TEXT NOT NULL,
    "shortName" TEXT,
    "type" "CertType" NOT NULL,
    "constituency" TEXT,
    "website" TEXT,
    "emails" TEXT[],
    "emergencyPhone" TEXT,
    "available24x7" BOOLEAN NOT NULL DEFAULT false,
    "hours" JSONB,
    "timeZone" TEXT NOT NULL,
    "languages" TEXT[],
    "pgpKey" TEXT,
    "pgpFingerprint" TEXT,
    "pgpAlgorithm" TEXT,
    "pgpExpiresAt" TIMESTAMPTZ(3),
    "rfc2350Url" TEXT,
    "firstMember" BOOLEAN NOT NULL DEFAULT false,
    "trustedIntroducer" "TrustedIntroducerStatus" NOT NULL DEFAULT 'NONE',
    "sectors" "Sector"[],
    "notes" TEXT,
    "status" "EntryStatus" NOT NULL DEFAULT 'ACTIVE',
    "lastVerifiedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cert_revision" (
    "id" UUID NOT NULL,
    "certId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actorUserId" UUID,
    "actorApiKeyId" UUID,
    "changes" JSONB NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cert_revision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "contact_certId_idx" ON "contact"("certId");

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

-- CreateIndex
CREATE INDEX "cert_stateCode_id_idx" ON "cert"("stateCode", "id");

-- CreateIndex
CREATE INDEX "cert_name_trgm_idx" ON "cert" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "cert_short_name_trgm_idx" ON "cert" USING GIN ("shortName" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "cert_revision_certId_version_key" ON "cert_revision"("certId", "version");

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_stateCode_fkey" FOREIGN KEY ("stateCode") REFERENCES "state"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_certId_fkey" FOREIGN KEY ("certId") REFERENCES "cert"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_revision" ADD CONSTRAINT "contact_revision_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cert" ADD CONSTRAINT "cert_stateCode_fkey" FOREIGN KEY ("stateCode") REFERENCES "state"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cert_revision" ADD CONSTRAINT "cert_revision_certId_fkey" FOREIGN KEY ("certId") REFERENCES "cert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

