-- CreateEnum
CREATE TYPE "DisclosureKind" AS ENUM ('CI_DESIGNATION', 'PROTECTION_EFFORT', 'LAW_OR_POLICY');

-- CreateEnum
CREATE TYPE "Tlp" AS ENUM ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED');

-- CreateEnum
CREATE TYPE "DisclosureAudience" AS ENUM ('PUBLIC', 'ALL_STATES', 'SELECTED_STATES');

-- CreateEnum
CREATE TYPE "DisclosureStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'WITHDRAWN');

-- CreateTable
CREATE TABLE "disclosure" (
    "id" UUID NOT NULL,
    "stateCode" CHAR(3) NOT NULL,
    "status" "DisclosureStatus" NOT NULL DEFAULT 'DRAFT',
    "kind" "DisclosureKind" NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "sectors" "Sector"[],
    "references" TEXT[],
    "language" TEXT NOT NULL,
    "dateAdopted" DATE,
    "officialReference" TEXT,
    "tlp" "Tlp" NOT NULL,
    "audience" "DisclosureAudience" NOT NULL,
    "selectedStates" TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "publishedAt" TIMESTAMPTZ(3),
    "withdrawnAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "disclosure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "disclosure_version" (
    "id" UUID NOT NULL,
    "disclosureId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "actorUserId" UUID,
    "actorApiKeyId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "disclosure_version_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "disclosure_status_audience_updatedAt_id_idx" ON "disclosure"("status", "audience", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "disclosure_stateCode_updatedAt_id_idx" ON "disclosure"("stateCode", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "disclosure_selectedStates_idx" ON "disclosure" USING GIN ("selectedStates");

-- CreateIndex
CREATE UNIQUE INDEX "disclosure_version_disclosureId_version_key" ON "disclosure_version"("disclosureId", "version");

-- AddForeignKey
ALTER TABLE "disclosure" ADD CONSTRAINT "disclosure_stateCode_fkey" FOREIGN KEY ("stateCode") REFERENCES "state"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "disclosure_version" ADD CONSTRAINT "disclosure_version_disclosureId_fkey" FOREIGN KEY ("disclosureId") REFERENCES "disclosure"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Full-text search over title, summary and body ('simple': disclosures come in many languages).
-- An expression index: Prisma cannot describe it, and the repository's search uses the same expression.
CREATE INDEX "disclosure_search_idx" ON "disclosure" USING GIN (to_tsvector('simple', "title" || ' ' || "summary" || ' ' || "body"));
