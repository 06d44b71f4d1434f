-- CreateEnum
CREATE TYPE "UnRegionalGroup" AS ENUM ('AFRICAN', 'ASIA_PACIFIC', 'EASTERN_EUROPEAN', 'LATIN_AMERICAN_AND_CARIBBEAN', 'WESTERN_EUROPEAN_AND_OTHERS');

-- CreateEnum
CREATE TYPE "UnMembership" AS ENUM ('MEMBER', 'OBSERVER');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('PLATFORM_ADMIN', 'STATE_ADMIN', 'STATE_OFFICER', 'STATE_VIEWER');

-- CreateTable
CREATE TABLE "state" (
    "code" CHAR(3) NOT NULL,
    "name" TEXT NOT NULL,
    "region" "UnRegionalGroup" NOT NULL,
    "membership" "UnMembership" NOT NULL,
    "participating" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "state_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "user" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "stateCode" CHAR(3),
    "passwordHash" TEXT,
    "disabledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "state_region_code_idx" ON "state"("region", "code");

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE INDEX "user_stateCode_idx" ON "user"("stateCode");

-- AddForeignKey
ALTER TABLE "user" ADD CONSTRAINT "user_stateCode_fkey" FOREIGN KEY ("stateCode") REFERENCES "state"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- A platform administrator (the secretariat) belongs to no State; every other user to exactly one.
ALTER TABLE "user" ADD CONSTRAINT "user_state_matches_role"
  CHECK (("role" = 'PLATFORM_ADMIN') = ("stateCode" IS NULL));
