-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('EMAIL', 'WEBHOOK');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateEnum
CREATE TYPE "CommunicationCheckStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "CheckTargetStatus" AS ENUM ('PENDING', 'ACKNOWLEDGED', 'UNRESPONSIVE');

-- DropIndex
DROP INDEX "outbox_event_deliveredAt_createdAt_idx";

-- AlterTable
ALTER TABLE "contact" ADD COLUMN     "deliveryFailedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "outbox_event" DROP COLUMN "deliveredAt",
ADD COLUMN     "dispatchError" TEXT,
ADD COLUMN     "dispatchedAt" TIMESTAMPTZ(3),
ADD COLUMN     "recipientCount" INTEGER,
ALTER COLUMN "stateCode" DROP NOT NULL;

-- AlterTable
ALTER TABLE "request_recipient" ADD COLUMN     "ackOverdueSentAt" TIMESTAMPTZ(3),
ADD COLUMN     "ackReminderSentAt" TIMESTAMPTZ(3),
ADD COLUMN     "responseOverdueSentAt" TIMESTAMPTZ(3),
ADD COLUMN     "responseReminderSentAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "user" ADD COLUMN     "notifyByEmail" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "eventType" TEXT NOT NULL,
    "stateCode" CHAR(3),
    "channel" "NotificationChannel" NOT NULL,
    "recipient" TEXT NOT NULL,
    "contactId" UUID,
    "certId" UUID,
    "userId" UUID,
    "webhookId" UUID,
    "checkTargetId" UUID,
    "language" TEXT NOT NULL DEFAULT 'en',
    "subject" TEXT,
    "status" "NotificationStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "failedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_attempt" (
    "id" UUID NOT NULL,
    "notificationId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "attemptedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" INTEGER NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "outcome" TEXT NOT NULL,
    "worker" TEXT NOT NULL,

    CONSTRAINT "notification_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook" (
    "id" UUID NOT NULL,
    "stateCode" CHAR(3) NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "eventTypes" TEXT[],
    "secretCiphertext" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "communication_check" (
    "id" UUID NOT NULL,
    "stateCodes" TEXT[],
    "kinds" "ContactKind"[],
    "note" TEXT,
    "status" "CommunicationCheckStatus" NOT NULL DEFAULT 'OPEN',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "windowEndsAt" TIMESTAMPTZ(3) NOT NULL,
    "remindAt" TIMESTAMPTZ(3),
    "remindersSentAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "createdById" UUID,

    CONSTRAINT "communication_check_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "communication_check_target" (
    "id" UUID NOT NULL,
    "checkId" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "stateCode" CHAR(3) NOT NULL,
    "region" "UnRegionalGroup" NOT NULL,
    "kind" "ContactKind" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "status" "CheckTargetStatus" NOT NULL DEFAULT 'PENDING',
    "acknowledgedAt" TIMESTAMPTZ(3),
    "remindedAt" TIMESTAMPTZ(3),

    CONSTRAINT "communication_check_target_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_status_nextAttemptAt_idx" ON "notification"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "notification_stateCode_createdAt_id_idx" ON "notification"("stateCode", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "notification_eventId_channel_recipient_key" ON "notification"("eventId", "channel", "recipient");

-- CreateIndex
CREATE INDEX "notification_attempt_notificationId_attempt_idx" ON "notification_attempt"("notificationId", "attempt");

-- CreateIndex
CREATE INDEX "webhook_stateCode_createdAt_idx" ON "webhook"("stateCode", "createdAt");

-- CreateIndex
CREATE INDEX "communication_check_startedAt_id_idx" ON "communication_check"("startedAt", "id");

-- CreateIndex
CREATE INDEX "communication_check_status_windowEndsAt_idx" ON "communication_check"("status", "windowEndsAt");

-- CreateIndex
CREATE UNIQUE INDEX "communication_check_target_tokenHash_key" ON "communication_check_target"("tokenHash");

-- CreateIndex
CREATE INDEX "communication_check_target_checkId_stateCode_idx" ON "communication_check_target"("checkId", "stateCode");

-- CreateIndex
CREATE INDEX "communication_check_target_contactId_idx" ON "communication_check_target"("contactId");

-- CreateIndex
CREATE UNIQUE INDEX "communication_check_target_checkId_contactId_key" ON "communication_check_target"("checkId", "contactId");

-- CreateIndex
CREATE INDEX "outbox_event_dispatchedAt_createdAt_idx" ON "outbox_event"("dispatchedAt", "createdAt");

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "outbox_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_attempt" ADD CONSTRAINT "notification_attempt_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "notification"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "communication_check_target" ADD CONSTRAINT "communication_check_target_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "communication_check"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "communication_check_target" ADD CONSTRAINT "communication_check_target_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Events written before there was a worker: the last day's still go out; older ones are set aside
-- rather than mailed weeks late. Deadlines already passed get no belated reminder or overdue notice.
UPDATE "outbox_event" SET "dispatchedAt" = now(), "dispatchError" = 'written before notifications existed; not sent'
 WHERE "dispatchedAt" IS NULL AND "createdAt" < now() - interval '1 day';
UPDATE "request_recipient" rr SET "ackReminderSentAt" = now(), "ackOverdueSentAt" = now()
  FROM "request" r WHERE rr."requestId" = r.id AND r."acknowledgeBy" <= now();
UPDATE "request_recipient" rr SET "responseReminderSentAt" = now(), "responseOverdueSentAt" = now()
  FROM "request" r WHERE rr."requestId" = r.id AND r."respondBy" <= now();
