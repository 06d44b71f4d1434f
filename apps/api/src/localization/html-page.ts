import escapeHtml from 'escape-html';
import { Language, textDirection } from './languages';
import { PAGE_STRINGS, PageStrings } from './page-strings';

/**
 * Logical properties only (margin-inline, padding-inline-start, text-align: start), so that the same
 * sheet lays an Arabic page out right to left. Inline: the Content-Security-Policy allows inline
 * styles ('unsafe-inline' in style-src) and no scripts; the pages need none.
 */
const STYLE =
  'body{font-family:system-ui,"Noto Sans","Noto Naskh Arabic","Noto Sans SC",sans-serif;max-width:38rem;margin-block:3rem;margin-inline:auto;padding-inline:1rem;line-height:1.55;text-align:start}' +
  'h1{font-size:1.5rem}ul{padding-inline-start:1.25rem}' +
  'label{display:block;margin-block:1rem .25rem;font-weight:600}' +
  'input[type=password]{inline-size:100%;box-sizing:border-box;font-size:1.05rem;padding:.5rem}' +
  'button,.button{display:inline-block;margin-block-start:1.25rem;font-size:1.1rem;padding:.6rem 1.4rem;cursor:pointer}' +
  '.problem{border-inline-start:.3rem solid #b3261e;padding-inline-start:.8rem;background:#fdecea;padding-block:.4rem}' +
  '.note{border-inline-start:.3rem solid #0b6bcb;padding-inline-start:.8rem}';

export type PageKey = keyof PageStrings;

/** One sentence in the reader's language, its `{{fields}}` filled and HTML-escaped. */
export function pageText(language: Language, key: PageKey, fields: Record<string, string | number> = {}): string {
  return escapeHtml(PAGE_STRINGS[language][key]).replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    if (!(name in fields)) throw new Error(`Page string ${language}.${key} needs {{${name}}}`);
    return escapeHtml(String(fields[name]));
  });
}

/** A whole page: `<html lang dir>`, mirrored for Arabic by the logical-property sheet. `body` is HTML. */
export function renderPage(language: Language, title: string, body: string): string {
  return (
    `<!doctype html><html lang="${language}" dir="${textDirection(language)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)} · CBM Registry</title><style>${STYLE}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  );
}
