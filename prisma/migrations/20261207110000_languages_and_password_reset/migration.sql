-- Password reset links are single-use user tokens, like invitations.
ALTER TYPE "UserTokenPurpose" ADD VALUE 'PASSWORD_RESET';

-- The language of a user's mail and pages: one of the six UN languages, or none (the browser's, else English).
ALTER TABLE "user" ADD COLUMN     "preferredLanguage" VARCHAR(2);
ALTER TABLE "user" ADD CONSTRAINT "user_preferredLanguage_check" CHECK ("preferredLanguage" IN ('ar', 'en', 'es', 'fr', 'ru', 'zh'));
