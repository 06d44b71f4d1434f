import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LANGUAGES } from '../localization';
import { PERSONAL_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from '../outbox';
import { capacityNoticeView } from './capacity-notice-view';
import { formatInstant, NotificationTemplates } from './notification-templates';

const DIRECTORY = path.join(__dirname, 'templates');
/** Every event a person may be mailed about: all but the webhook test ping. */
const MAILED_EVENTS = [...WEBHOOK_EVENT_TYPES, ...PERSONAL_EVENT_TYPES].filter((type) => type !== 'webhook.ping');
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

/** What the worker puts in the view of the other events (notification-worker.ts eventView and composeMail). */
const OTHER_VIEWS: Record<string, Record<string, unknown>> = {
  request: {
    reference: 'CBM-2026-000042',
    fromName: 'Iceland',
    byName: 'Estonia',
    recipientStateName: 'Latvia',
    urgency: 'URGENT',
    type: 'ASSISTANCE',
    action: 'ACKNOWLEDGE',
    status: 'ACKNOWLEDGED',
    acknowledgeBy: '2026-11-27 06:00 UTC',
    respondBy: '2026-11-29 06:00 UTC',
    requestUrl: 'https://cbm.example/api/v1/requests/r1',
  },
  communication_check: { contactName: 'Duty officer', windowEndsAt: '2026-11-27 06:00 UTC', acknowledgeUrl: 'https://cbm.example/api/v1/public/acknowledgements/abc', note: 'Annual check' },
  user: {
    displayName: 'Ada',
    expiresAt: '2026-11-27 06:00 UTC',
    invitationUrl: 'https://cbm.example/api/v1/public/invitations/inv_abc',
    resetUrl: 'https://cbm.example/api/v1/public/password-resets/pwr_abc',
  },
};

describe('mail templates', () => {
  const templates = new NotificationTemplates(DIRECTORY);

  it('exist in exactly the six UN languages, each with a template for exactly the mailed events', () => {
    expect(readdirSync(DIRECTORY).sort()).toEqual([...LANGUAGES].sort());
    for (const language of LANGUAGES) {
      expect({ language, types: readdirSync(path.join(DIRECTORY, language)).map((file) => file.replace(/\.txt$/, '')).sort() }).toEqual({
        language,
        types: [...MAILED_EVENTS].sort(),
      });
    }
  });

  it.each(MAILED_EVENTS.flatMap((type) => LANGUAGES.filter((language) => language !== 'en').map((language) => [type, language] as const)))(
    '%s in %s uses the same placeholders as in English',
    (type, language) => {
      expect(templates.has(language, type)).toBe(true);
      expect(placeholders(language, type)).toEqual(placeholders('en', type));
    },
  );

  it.each(MAILED_EVENTS.filter((type) => !type.startsWith('capacity.')).flatMap((type) => LANGUAGES.map((language) => [type, language] as const)))(
    '%s in %s renders every field, with its link',
    (type, language) => {
      const view = { ...OTHER_VIEWS[type.split('.')[0]], stateName: 'Estonia', recipientName: 'Ada', toRecipient: true };
      const mail = templates.render(language, type, view);
      for (const text of [mail.subject, mail.text]) expect(text).not.toMatch(/\{\{|\}\}|undefined|null|\[object/);
      expect(mail.subject.startsWith('[CBM Registry] ')).toBe(true);
      const link = type.startsWith('request.') ? 'requests/r1' : type.startsWith('communication_check.') ? 'acknowledgements/abc' : type === 'user.invited' ? 'invitations/inv_abc' : 'password-resets/pwr_abc';
      expect(mail.text).toContain(`https://cbm.example/api/v1/${type.startsWith('request.') ? '' : 'public/'}${link}`);
    },
  );

  it('chooses the first of the reader\'s languages that has the template (es-CO counts as es), else English', () => {
    expect(templates.languageFor('request.created', ['de', 'es-CO', 'fr'])).toBe('es');
    expect(templates.languageFor('request.created', [null, 'ZH'])).toBe('zh');
    expect(templates.languageFor('request.created', ['de', 'pt'])).toBe('en');
    expect(templates.languageFor('request.created', [])).toBe('en');
  });

  it('words a deadline in UTC and, in the reader\'s language, in their time zone', () => {
    const instant = '2026-11-27T06:00:00.000Z';
    expect(formatInstant(instant, 'Europe/Paris')).toBe('2026-11-27 06:00 UTC (27 Nov, 07:00 Europe/Paris)');
    expect(formatInstant(instant, 'Europe/Paris', 'fr')).toBe('2026-11-27 06:00 UTC (27 nov., 07:00 Europe/Paris)');
    expect(formatInstant(instant, null, 'ar')).toBe('2026-11-27 06:00 UTC');
    expect(formatInstant(instant, 'Asia/Shanghai', 'zh')).toMatch(/^2026-11-27 06:00 UTC \(11月27日 14:00 Asia\/Shanghai\)$/);
  });
});

describe('capacity-building mail templates', () => {
  const templates = new NotificationTemplates(DIRECTORY);

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
