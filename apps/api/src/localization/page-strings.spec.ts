import { chooseLanguage, formatInstantFor, LANGUAGES, supportedLanguage, textDirection } from './languages';
import { pageText, renderPage } from './html-page';
import { PAGE_STRINGS, PageStrings } from './page-strings';

const KEYS = Object.keys(PAGE_STRINGS.en) as Array<keyof PageStrings>;

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]))].sort();
}

describe('page strings', () => {
  it('exist in exactly the six UN languages', () => {
    expect(Object.keys(PAGE_STRINGS).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES.filter((language) => language !== 'en'))('%s has every string of English, none empty, none left in English', (language) => {
    const strings = PAGE_STRINGS[language] as unknown as Record<string, unknown>;
    expect(Object.keys(strings).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) {
      expect({ key, type: typeof strings[key], empty: String(strings[key]).trim() === '' }).toEqual({ key, type: 'string', empty: false });
      expect({ key, same: strings[key] === PAGE_STRINGS.en[key] }).toEqual({ key, same: false });
    }
  });

  it.each(LANGUAGES.filter((language) => language !== 'en'))('%s uses the same placeholders as English in every string', (language) => {
    for (const key of KEYS) {
      expect({ key, placeholders: placeholders(PAGE_STRINGS[language][key]) }).toEqual({ key, placeholders: placeholders(PAGE_STRINGS.en[key]) });
    }
  });

  it('fills placeholders escaped, and refuses a missing one', () => {
    expect(pageText('fr', 'ackDone', { contactName: '<b>Ada</b>' })).toBe('La confirmation pour &lt;b&gt;Ada&lt;/b&gt; a été enregistrée. Vous pouvez fermer cette page.');
    expect(() => pageText('fr', 'ackDone')).toThrow(/contactName/);
  });

  it('lays Arabic out right to left, the others left to right', () => {
    expect(renderPage('ar', 'عنوان', '')).toMatch(/^<!doctype html><html lang="ar" dir="rtl">/);
    for (const language of LANGUAGES.filter((one) => one !== 'ar')) expect(textDirection(language)).toBe('ltr');
    // Mirrored by logical properties: no physical left or right in the sheet.
    expect(renderPage('en', 'Title', '')).not.toMatch(/left|right/);
  });
});

describe('language choice', () => {
  it('takes the person\'s first language the service has, then Accept-Language, then English', () => {
    expect(chooseLanguage(['de', 'ar'], 'fr')).toBe('ar');
    expect(chooseLanguage(['es-CO'], 'fr')).toBe('es');
    expect(chooseLanguage(['de'], 'de-DE, ru;q=0.5, fr;q=0.4')).toBe('ru');
    expect(chooseLanguage([], 'fr-CA,fr;q=0.9,en;q=0.5')).toBe('fr');
    expect(chooseLanguage([null], 'zh-Hans-CN')).toBe('zh');
    expect(chooseLanguage([], 'es;q=0.2, ru;q=0.8')).toBe('ru');
    expect(chooseLanguage([], 'de-DE, pt')).toBe('en');
    expect(chooseLanguage([], 'ar;q=0')).toBe('en');
    expect(chooseLanguage([], '*')).toBe('en');
    expect(chooseLanguage([], undefined)).toBe('en');
    expect(chooseLanguage([], '')).toBe('en');
  });

  it('reads a language code by its primary subtag', () => {
    expect(supportedLanguage('FR')).toBe('fr');
    expect(supportedLanguage('zh_Hant')).toBe('zh');
    expect(supportedLanguage('pt')).toBeUndefined();
    expect(supportedLanguage(null)).toBeUndefined();
  });

  it('dates an instant in the reader\'s language and time zone, and in UTC', () => {
    const instant = new Date('2026-11-27T06:00:00Z');
    expect(formatInstantFor(instant, 'en', 'Europe/Paris')).toBe('27 November 2026 at 07:00 (Europe/Paris) — 2026-11-27 06:00 UTC');
    expect(formatInstantFor(instant, 'fr', 'America/Bogota')).toBe('27 novembre 2026 à 01:00 (America/Bogota) — 2026-11-27 06:00 UTC');
    expect(formatInstantFor(instant, 'en', null)).toBe('27 November 2026 at 06:00 (UTC)');
    expect(formatInstantFor(instant, 'en', 'Not/AZone')).toBe('27 November 2026 at 06:00 (UTC)');
    expect(formatInstantFor(instant, 'ar', 'Africa/Cairo')).toContain('(Africa/Cairo) — 2026-11-27 06:00 UTC');
  });
});
