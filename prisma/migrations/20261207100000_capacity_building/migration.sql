-- CreateEnum
CREATE TYPE "CapacityArea" AS ENUM ('CERT_ESTABLISHMENT_AND_MATURITY', 'INCIDENT_RESPONSE', 'CRITICAL_INFRASTRUCTURE_PROTECTION', 'LEGISLATION_AND_POLICY', 'NORMS_AND_CYBER_DIPLOMACY', 'TECHNICAL_TRAINING', 'EXERCISES', 'INFORMATION_SHARING', 'ACCESS_TO_TECHNOLOGY', 'CYBERCRIME');

-- CreateEnum
CREATE TYPE "CapacityModality" AS ENUM ('TRAINING', 'ADVISORY_MISSION', 'MENTORING', 'EQUIPMENT_OR_TOOLS', 'EXERCISE', 'PEER_EXCHANGE', 'FUNDING');

-- CreateEnum
CREATE TYPE "CapacityNeedStatus" AS ENUM ('DRAFT', 'OPEN', 'IN_PROGRESS', 'FULFILLED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "CapacityOfferStatus" AS ENUM ('DRAFT', 'OPEN', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "CapacityProposalStatus" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "CapacityEngagementStatus" AS ENUM ('ACTIVE', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "CapacityOutcome" AS ENUM ('MET', 'PARTLY_MET', 'NOT_MET');

-- AlterEnum
ALTER TYPE "DisclosureKind" ADD VALUE 'BEST_PRACTICE';

-- AlterTable
ALTER TABLE "disclosure" ADD COLUMN     "areas" "CapacityArea"[];

-- CreateTable
CREATE TABLE "capacity_need" (
    "id" UUID NOT NULL,
    "stateCode" CHAR(3) NOT NULL,
    "status" "CapacityNeedStatus" NOT NULL DEFAULT 'DRAFT',
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "areas" "CapacityArea"[],
    "sectors" "Sector"[],
    "modalities" "CapacityModality"[],
    "languages" TEXT[],
    "neededFrom" DATE,
    "neededBy" DATE NOT NULL,
    "selfAssessmentModel" TEXT,
    "selfAssessmentLevel" TEXT,
    "selfAssessmentNotes" TEXT,
    "tlp" "Tlp" NOT NULL,
    "audience" "DisclosureAudience" NOT NULL,
    "selectedStates" TEXT[],
    "sourceRequestId" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "openedAt" TIMESTAMPTZ(3),
    "fulfilledAt" TIMESTAMPTZ(3),
    "withdrawnAt" TIMESTAMPTZ(3),
    "createdByUserId" UUID,
    "createdByApiKeyId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "capacity_need_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "capacity_offer" (
    "id" UUID NOT NULL,
    "stateCode" CHAR(3) NOT NULL,
    "status" "CapacityOfferStatus" NOT NULL DEFAULT 'DRAFT',
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "areas" "CapacityArea"[],
    "sectors" "Sector"[],
    "modalities" "CapacityModality"[],
    "languages" TEXT[],
    "regions" "UnRegionalGroup"[],
    "places" INTEGER,
    "experts" INTEGER,
    "availableFrom" DATE,
    "availableUntil" DATE,
    "implementingOrganisation" TEXT,
    "tlp" "Tlp" NOT NULL,
    "audience" "DisclosureAudience" NOT NULL,
    "selectedStates" TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "openedAt" TIMESTAMPTZ(3),
    "withdrawnAt" TIMESTAMPTZ(3),
    "createdByUserId" UUID,
    "createdByApiKeyId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "capacity_offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "capacity_proposal" (
    "id" UUID NOT NULL,
    "needId" UUID NOT NULL,
    "needState" CHAR(3) NOT NULL,
    "providerState" CHAR(3) NOT NULL,
    "offerId" UUID,
    "message" TEXT NOT NULL,
    "status" "CapacityProposalStatus" NOT NULL DEFAULT 'PENDING',
    "decidedAt" TIMESTAMPTZ(3),
    "createdByUserId" UUID,
    "createdByApiKeyId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "capacity_proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "capacity_engagement" (
    "id" UUID NOT NULL,
    "proposalId" UUID NOT NULL,
    "needId" UUID NOT NULL,
    "needState" CHAR(3) NOT NULL,
    "providerState" CHAR(3) NOT NULL,
    "offerId" UUID,
    "status" "CapacityEngagementStatus" NOT NULL DEFAULT 'ACTIVE',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),
    "needOutcome" "CapacityOutcome",
    "needFeedback" TEXT,
    "needEvaluatedAt" TIMESTAMPTZ(3),
    "providerOutcome" "CapacityOutcome",
    "providerFeedback" TEXT,
    "providerEvaluatedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "capacity_engagement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "capacity_engagement_update" (
    "id" UUID NOT NULL,
    "engagementId" UUID NOT NULL,
    "authorState" CHAR(3) NOT NULL,
    "authorUserId" UUID,
    "authorApiKeyId" UUID,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "capacity_engagement_update_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "capacity_need_status_audience_updatedAt_id_idx" ON "capacity_need"("status", "audience", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "capacity_need_stateCode_updatedAt_id_idx" ON "capacity_need"("stateCode", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "capacity_need_updatedAt_id_idx" ON "capacity_need"("updatedAt", "id");

-- CreateIndex
CREATE INDEX "capacity_need_selectedStates_idx" ON "capacity_need" USING GIN ("selectedStates");

-- CreateIndex
CREATE INDEX "capacity_need_areas_idx" ON "capacity_need" USING GIN ("areas");

-- CreateIndex
CREATE UNIQUE INDEX "capacity_need_sourceRequestId_stateCode_key" ON "capacity_need"("sourceRequestId", "stateCode");

-- CreateIndex
CREATE INDEX "capacity_offer_status_audience_updatedAt_id_idx" ON "capacity_offer"("status", "audience", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "capacity_offer_stateCode_updatedAt_id_idx" ON "capacity_offer"("stateCode", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "capacity_offer_updatedAt_id_idx" ON "capacity_offer"("updatedAt", "id");

-- CreateIndex
CREATE INDEX "capacity_offer_selectedStates_idx" ON "capacity_offer" USING GIN ("selectedStates");

-- CreateIndex
CREATE INDEX "capacity_offer_areas_idx" ON "capacity_offer" USING GIN ("areas");

-- CreateIndex
CREATE INDEX "capacity_proposal_providerState_createdAt_id_idx" ON "capacity_proposal"("providerState", "createdAt", "id");

-- CreateIndex
CREATE INDEX "capacity_proposal_needState_createdAt_id_idx" ON "capacity_proposal"("needState", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "capacity_proposal_needId_providerState_key" ON "capacity_proposal"("needId", "providerState");

-- CreateIndex
CREATE UNIQUE INDEX "capacity_engagement_proposalId_key" ON "capacity_engagement"("proposalId");

-- CreateIndex
CREATE INDEX "capacity_engagement_needState_startedAt_id_idx" ON "capacity_engagement"("needState", "startedAt", "id");

-- CreateIndex
CREATE INDEX "capacity_engagement_providerState_startedAt_id_idx" ON "capacity_engagement"("providerState", "startedAt", "id");

-- CreateIndex
CREATE INDEX "capacity_engagement_needId_idx" ON "capacity_engagement"("needId");

-- CreateIndex
CREATE INDEX "capacity_engagement_update_engagementId_createdAt_idx" ON "capacity_engagement_update"("engagementId", "createdAt");

-- AddForeignKey
ALTER TABLE "capacity_need" ADD CONSTRAINT "capacity_need_stateCode_fkey" FOREIGN KEY ("stateCode") REFERENCES "state"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capacity_need" ADD CONSTRAINT "capacity_need_sourceRequestId_fkey" FOREIGN KEY ("sourceRequestId") REFERENCES "request"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capacity_offer" ADD CONSTRAINT "capacity_offer_stateCode_fkey" FOREIGN KEY ("stateCode") REFERENCES "state"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capacity_proposal" ADD CONSTRAINT "capacity_proposal_needId_fkey" FOREIGN KEY ("needId") REFERENCES "capacity_need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capacity_proposal" ADD CONSTRAINT "capacity_proposal_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "capacity_offer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capacity_engagement" ADD CONSTRAINT "capacity_engagement_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "capacity_proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capacity_engagement" ADD CONSTRAINT "capacity_engagement_needId_fkey" FOREIGN KEY ("needId") REFERENCES "capacity_need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capacity_engagement" ADD CONSTRAINT "capacity_engagement_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "capacity_offer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capacity_engagement_update" ADD CONSTRAINT "capacity_engagement_update_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "capacity_engagement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The secretariat's lists of every proposal and engagement, newest first.
CREATE INDEX "capacity_proposal_createdAt_id_idx" ON "capacity_proposal"("createdAt", "id");
CREATE INDEX "capacity_engagement_startedAt_id_idx" ON "capacity_engagement"("startedAt", "id");
