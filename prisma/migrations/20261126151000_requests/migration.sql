-- CreateEnum
CREATE TYPE "RequestType" AS ENUM ('INFORMATION', 'ASSISTANCE', 'INVESTIGATION', 'MITIGATION', 'CONSULTATION');

-- CreateEnum
CREATE TYPE "Urgency" AS ENUM ('ROUTINE', 'PRIORITY', 'URGENT', 'CRITICAL');

-- CreateEnum
CREATE TYPE "RecipientStatus" AS ENUM ('SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'ANSWERED', 'CLOSED', 'DECLINED', 'UNABLE_CAPACITY', 'WITHDRAWN');

-- CreateTable
CREATE TABLE "request" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "requesterState" CHAR(3) NOT NULL,
    "type" "RequestType" NOT NULL,
    "urgency" "Urgency" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "incidentStart" TIMESTAMPTZ(3),
    "incidentEnd" TIMESTAMPTZ(3),
    "sectors" "Sector"[],
    "indicators" JSONB NOT NULL,
    "requestedActions" TEXT,
    "tlp" "Tlp" NOT NULL DEFAULT 'AMBER',
    "respondBy" TIMESTAMPTZ(3),
    "acknowledgeBy" TIMESTAMPTZ(3) NOT NULL,
    "language" TEXT NOT NULL,
    "createdByUserId" UUID,
    "createdByApiKeyId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_recipient" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "stateCode" CHAR(3) NOT NULL,
    "status" "RecipientStatus" NOT NULL DEFAULT 'SUBMITTED',
    "acknowledgedAt" TIMESTAMPTZ(3),
    "answeredAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "answer" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "request_recipient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_transition" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "recipientState" CHAR(3) NOT NULL,
    "action" TEXT NOT NULL,
    "fromStatus" "RecipientStatus" NOT NULL,
    "toStatus" "RecipientStatus" NOT NULL,
    "note" TEXT,
    "actorState" CHAR(3) NOT NULL,
    "actorUserId" UUID,
    "actorApiKeyId" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_transition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_message" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "authorState" CHAR(3) NOT NULL,
    "authorUserId" UUID,
    "authorApiKeyId" UUID,
    "toState" CHAR(3),
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_record" (
    "stateCode" CHAR(3) NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "responseStatus" INTEGER,
    "responseBody" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("stateCode","key")
);

-- CreateTable
CREATE TABLE "request_counter" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "request_counter_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "outbox_event" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "stateCode" CHAR(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "request_reference_key" ON "request"("reference");

-- CreateIndex
CREATE INDEX "request_requesterState_createdAt_id_idx" ON "request"("requesterState", "createdAt", "id");

-- CreateIndex
CREATE INDEX "request_recipient_stateCode_status_idx" ON "request_recipient"("stateCode", "status");

-- CreateIndex
CREATE UNIQUE INDEX "request_recipient_requestId_stateCode_key" ON "request_recipient"("requestId", "stateCode");

-- CreateIndex
CREATE INDEX "request_transition_requestId_at_idx" ON "request_transition"("requestId", "at");

-- CreateIndex
CREATE INDEX "request_message_requestId_createdAt_idx" ON "request_message"("requestId", "createdAt");

-- CreateIndex
CREATE INDEX "outbox_event_deliveredAt_createdAt_idx" ON "outbox_event"("deliveredAt", "createdAt");

-- AddForeignKey
ALTER TABLE "request_recipient" ADD CONSTRAINT "request_recipient_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_transition" ADD CONSTRAINT "request_transition_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_message" ADD CONSTRAINT "request_message_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

