-- A webhook may ask for the request's STIX 2.1 bundle with request.created deliveries (off unless asked).
-- AlterTable
ALTER TABLE "webhook" ADD COLUMN     "attachStix" BOOLEAN NOT NULL DEFAULT false;
