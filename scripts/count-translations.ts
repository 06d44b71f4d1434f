/**
 * Counts what is translated, per language: mail templates (a subject and a body each) and page
 * strings. `npx ts-node --transpile-only scripts/count-translations.ts`
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { LANGUAGES } from '../apps/api/src/localization/languages';
import { PAGE_STRINGS } from '../apps/api/src/localization/page-strings';

const templates = path.join(__dirname, '../apps/api/src/notifications/templates');
const rows = LANGUAGES.map((language) => {
  const mails = readdirSync(path.join(templates, language)).filter((file) => file.endsWith('.txt')).length;
  const pages = Object.keys(PAGE_STRINGS[language]).length;
  return { language, mailTemplates: mails, mailStrings: mails * 2, pageStrings: pages, total: mails * 2 + pages };
});
process.stdout.write(
  ['language  mail templates  mail strings (subject + body)  page strings  total']
    .concat(rows.map((row) => `${row.language.padEnd(10)}${String(row.mailTemplates).padEnd(16)}${String(row.mailStrings).padEnd(31)}${String(row.pageStrings).padEnd(14)}${row.total}`))
    .join('\n') + '\n',
);
