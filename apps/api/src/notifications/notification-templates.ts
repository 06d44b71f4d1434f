import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { supportedLanguage } from '../localization';

export interface RenderedMail {
  subject: string;
  text: string;
}

export const DEFAULT_LANGUAGE = 'en';

/**
 * Mail templates are plain files, `templates/<ISO 639-1 language>/<event type>.txt`, so translating
 * one is adding a file. The first line is `Subject: …`; Mustache fills `{{fields}}` (never
 * HTML-escaped: these are text mails).
 */
export class NotificationTemplates {
  private readonly templates = new Map<string, { subject: string; body: string }>();

  constructor(directory = path.join(__dirname, 'templates')) {
    if (!existsSync(directory)) throw new Error(`No notification templates in ${directory}`);
    for (const language of readdirSync(directory)) {
      for (const file of readdirSync(path.join(directory, language)).filter((name) => name.endsWith('.txt'))) {
        const source = readFileSync(path.join(directory, language, file), 'utf8');
        const [first, ...rest] = source.split('\n');
        if (!first.startsWith('Subject: ')) throw new Error(`${language}/${file} must start with "Subject: "`);
        this.templates.set(`${language}/${file.slice(0, -4)}`, { subject: first.slice('Subject: '.length).trim(), body: rest.join('\n').replace(/^\n+/, '') });
      }
    }
  }

  has(language: string, eventType: string): boolean {
    return this.templates.has(`${language}/${eventType}`);
  }

  /** The first of the recipient's languages (`es-CO` counts as es) with a template for the event, else English. */
  languageFor(eventType: string, languages: ReadonlyArray<string | null | undefined>): string {
    for (const code of languages) {
      const language = supportedLanguage(code);
      if (language && this.has(language, eventType)) return language;
    }
    return DEFAULT_LANGUAGE;
  }

  render(language: string, eventType: string, view: Record<string, unknown>): RenderedMail {
    const template = this.templates.get(`${language}/${eventType}`) ?? this.templates.get(`${DEFAULT_LANGUAGE}/${eventType}`);
    if (!template) throw new Error(`No template for ${eventType}`);
    const render = (text: string) => Mustache.render(text, view, undefined, { escape: (value: string) => value });
    return { subject: render(template.subject).replace(/\s+/g, ' ').trim(), text: render(template.body) };
  }
}

/**
 * "2026-11-27 06:00 UTC (27 Nov, 07:00 Europe/Paris)": a deadline unambiguous, and as the reader
 * lives it, in their language's words for the date.
 */
export function formatInstant(value: unknown, timeZone?: string | null, language: string = DEFAULT_LANGUAGE): string | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  const utc = `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return utc;
  const local = new Intl.DateTimeFormat(language === DEFAULT_LANGUAGE ? 'en-GB' : language, {
    timeZone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
  return `${utc} (${local} ${timeZone})`;
}
