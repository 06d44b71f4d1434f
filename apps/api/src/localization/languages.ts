import Negotiator from 'negotiator';

/** The six official languages of the United Nations, English first: the fallback, and what `*` gets. */
export const LANGUAGES = ['en', 'ar', 'es', 'fr', 'ru', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

const SUPPORTED = new Set<string>(LANGUAGES);

export function isLanguage(code: unknown): code is Language {
  return typeof code === 'string' && SUPPORTED.has(code);
}

/** `fr`, `FR`, `fr-CA` → fr; a language that is not one of the six → undefined. */
export function supportedLanguage(code: string | null | undefined): Language | undefined {
  const primary = code?.trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : undefined;
}

/**
 * The language a person reads: the first of their own languages (a contact's `languages`, a user's
 * preferred language) that the service has, then the best of the browser's Accept-Language (q-values
 * and `fr-CA` → fr as RFC 4647 lookup, parsed by `negotiator`, the parser express itself uses), then English.
 */
export function chooseLanguage(ownLanguages: ReadonlyArray<string | null | undefined>, acceptLanguage?: string | string[]): Language {
  for (const code of ownLanguages) {
    const language = supportedLanguage(code);
    if (language) return language;
  }
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  if (header?.trim()) {
    const [best] = new Negotiator({ headers: { 'accept-language': header } }).languages([...LANGUAGES]);
    if (isLanguage(best)) return best;
  }
  return DEFAULT_LANGUAGE;
}

export function textDirection(language: Language): 'rtl' | 'ltr' {
  return language === 'ar' ? 'rtl' : 'ltr';
}

/** `2026-11-27 06:00 UTC`: the unambiguous form every page and mail also gives. */
export function utcText(instant: Date): string {
  return `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * An instant as the reader lives it — their language's date and time, in their time zone when known
 * (named, since a diplomat may read it away from home) — and in UTC: "27 novembre 2026 à 07:00
 * (Europe/Paris) — 2026-11-27 06:00 UTC".
 */
export function formatInstantFor(instant: Date, language: Language, timeZone?: string | null): string {
  const zone = timeZone && timeZone !== 'UTC' && timeZone !== 'Etc/UTC' && isTimeZone(timeZone) ? timeZone : undefined;
  const local = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: zone ?? 'UTC',
  }).format(instant);
  return zone ? `${local} (${zone}) — ${utcText(instant)}` : `${local} (UTC)`;
}
