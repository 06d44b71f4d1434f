import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WEBHOOK_EVENT_TYPES } from '../outbox';
import { capacityNoticeView } from './capacity-notice-view';
import { NotificationTemplates } from './notification-templates';

const DIRECTORY = path.join(__dirname, 'templates');
const LANGUAGES = ['en', 'fr'];
const CAPACITY_EVENTS = WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith('capacity.'));

/** The names a template uses: {{name}}, {{#name}}, {{^name}}, {{/name}} (the current item `.` aside). */
function placeholders(language: string, type: string): string[] {
  const source = readFileSync(path.join(DIRECTORY, language, `${type}.txt`), 'utf8');
  const names = [...source.matchAll(/\{\{\s*[#^/]?\s*([\w.]+)\s*\}\}/g)].map((match) => match[1]).filter((name) => name !== '.');
  return [...new Set(names)].sort();
}

/** A payload of each type as the services emit it (outbox-events.ts), and the view the worker adds. */
const PAYLOADS: Record<string, Record<string, unknown>> = {
  'capacity.need_matched': { needId: 'n1', needTitle: 'CERT training', needState: 'EST', offerIds: ['o1', 'o2'], offerTitles: ['Course A', 'Course B'] },
  'capacity.need_from_request': { needId: 'n1', needTitle: 'CERT training', needState: 'EST', requestId: 'r1', requestReference: 'CBM-2026-000042' },
  'capacity.proposal_received': { proposalId: 'p1', needId: 'n1', needTitle: 'CERT training', needState: 'EST', providerState: 'NOR', by: 'NOR', offerId: 'o1', offerTitle: 'Course A' },
  'capacity.proposal_accepted': { proposalId: 'p1', engagementId: 'e1', needId: 'n1', needTitle: 'CERT training', needState: 'EST', providerState: 'NOR', by: 'EST' },
  'capacity.proposal_declined': { proposalId: 'p1', needId: 'n1', needTitle: null, needState: 'EST', providerState: 'NOR', by: 'EST', cause: 'DECLINED', reason: 'We chose a regional partner.' },
  'capacity.engagement_update': { engagementId: 'e1', proposalId: 'p1', needId: 'n1', needTitle: 'CERT training', needState: 'EST', providerState: 'NOR', by: 'NOR', updateId: 'u1' },
  'capacity.engagement_ended': { engagementId: 'e1', proposalId: 'p1', needId: 'n1', needTitle: 'CERT training', needState: 'EST', providerState: 'NOR', by: 'EST', status: 'COMPLETED' },
  'capacity.engagement_evaluated': { engagementId: 'e1', proposalId: 'p1', needId: 'n1', needTitle: 'CERT training', needState: 'EST', providerState: 'NOR', by: 'EST', side: 'needing', outcome: 'PARTLY_MET' },
};

describe('capacity-building mail templates', () => {
  const templates = new NotificationTemplates(DIRECTORY);

  it.each(CAPACITY_EVENTS)('%s exists in English and French, with the same placeholders', (type) => {
    for (const language of LANGUAGES) expect(templates.has(language, type)).toBe(true);
    expect(placeholders('fr', type)).toEqual(placeholders('en', type));
  });

  it.each(CAPACITY_EVENTS.flatMap((type) => LANGUAGES.map((language) => [type, language] as const)))(
    '%s in %s renders from its payload: every field filled, no title in the subject',
    (type, language) => {
      const payload = PAYLOADS[type];
      const view = { ...payload, ...capacityNoticeView(payload, 'https://cbm.example'), stateName: 'Estonia', byName: 'Norway', requestUrl: 'https://cbm.example/api/v1/requests/r1', recipientName: 'Ada' };
      const mail = templates.render(language, type, view);
      for (const text of [mail.subject, mail.text]) {
        expect(text).not.toMatch(/\{\{|\}\}|undefined|null|\[object/);
      }
      // Subjects are stored and listed to the secretariat: titles stay in the body.
      expect(mail.subject).not.toContain('CERT training');
      expect(mail.subject).not.toContain('Course A');
      expect(mail.text).toContain('https://cbm.example/api/v1/capacity/');
    },
  );

  it('words each decline cause, and gives the reason only when the needing State declined', () => {
    const base = PAYLOADS['capacity.proposal_declined'];
    const render = (payload: Record<string, unknown>) => templates.render('en', 'capacity.proposal_declined', { ...payload, ...capacityNoticeView(payload, 'https://cbm.example'), stateName: 'Norway' }).text;
    expect(render(base)).toContain('Estonia declined the proposal of Norway');
    expect(render(base)).toContain('We chose a regional partner.');
    expect(render({ ...base, cause: 'NEED_WITHDRAWN', reason: null })).toContain('Estonia withdrew its capacity-building need');
    expect(render({ ...base, cause: 'NEED_FULFILLED', reason: null, needTitle: 'CERT training' })).toContain('reports its capacity-building need "CERT training" fulfilled');
  });

  it('lists every matching offer of a need_matched notice', () => {
    const payload = PAYLOADS['capacity.need_matched'];
    const text = templates.render('en', 'capacity.need_matched', { ...payload, ...capacityNoticeView(payload, 'https://cbm.example'), stateName: 'Norway' }).text;
    expect(text).toContain('- Course A\n- Course B\n');
    expect(text).toContain('Estonia opened a capacity-building need');
  });
});
