import escapeHtml from 'escape-html';
import { formatInstantFor, Language, PAGE_STRINGS, PageKey, pageText, renderPage } from '../localization';
import { AccountLinkView } from './account-link';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PasswordRule } from './password-policy';

/** An invitation sets a first password, a reset replaces a forgotten one: the same page, other words. */
export type AccountLinkKind = 'invitation' | 'reset';
export type PasswordProblem = PasswordRule | 'mismatch';

const WORDS: Record<AccountLinkKind, Record<'title' | 'submit' | 'doneTitle' | 'invalidTitle' | 'invalid', PageKey>> = {
  invitation: { title: 'invitationTitle', submit: 'invitationSubmit', doneTitle: 'invitationDoneTitle', invalidTitle: 'invitationInvalidTitle', invalid: 'invitationInvalid' },
  reset: { title: 'resetTitle', submit: 'resetSubmit', doneTitle: 'resetDoneTitle', invalidTitle: 'resetInvalidTitle', invalid: 'resetInvalid' },
};

const BROKEN: Record<PasswordProblem, PageKey> = {
  length: 'passwordBrokenLength',
  common: 'passwordBrokenCommon',
  email: 'passwordBrokenEmail',
  mismatch: 'passwordMismatch',
};

const LIMITS = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };

/**
 * The form: the rules first, then two password fields. No script: the browser's own checks
 * (required, minlength) help, the server decides. The e-mail field has no name, so it is not sent:
 * it is there for password managers.
 */
export function passwordFormPage(language: Language, kind: AccountLinkKind, view: AccountLinkView, action: string, problem?: PasswordProblem): string {
  const t = (key: PageKey, fields?: Record<string, string | number>) => pageText(language, key, fields);
  const intro =
    kind === 'invitation' ? t('invitationIntro', { displayName: view.displayName, email: view.email, role: view.role }) : t('resetIntro', { email: view.email });
  const refused = problem
    ? `<div class="problem" role="alert"><p><strong>${t('passwordRefusedTitle')}</strong></p><p>${t(BROKEN[problem], LIMITS)}</p></div>`
    : '';
  return renderPage(
    language,
    PAGE_STRINGS[language][WORDS[kind].title],
    `${refused}<p>${intro}</p><p>${t('linkValidUntil', { expiresAt: formatInstantFor(view.expiresAt, language) })}</p>` +
      `<h2>${t('passwordRulesTitle')}</h2><ul><li>${t('passwordRuleLength', LIMITS)}</li><li>${t('passwordRuleCommon')}</li><li>${t('passwordRuleEmail')}</li></ul>` +
      `<form method="post" action="${escapeHtml(action)}">` +
      `<input type="email" value="${escapeHtml(view.email)}" autocomplete="username" readonly hidden>` +
      `<label for="password">${t('passwordLabel')}</label>` +
      `<input type="password" id="password" name="password" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}">` +
      `<label for="passwordConfirmation">${t('passwordRepeatLabel')}</label>` +
      `<input type="password" id="passwordConfirmation" name="passwordConfirmation" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}">` +
      `<button type="submit">${t(WORDS[kind].submit)}</button></form>`,
  );
}

/** After the POST: how to sign in now, and how to enrol a second factor where the account needs one. */
export function passwordSetPage(
  language: Language,
  kind: AccountLinkKind,
  view: AccountLinkView,
  links: { docsUrl: string; loginUrl: string; docsAvailable: boolean },
): string {
  const t = (key: PageKey, fields?: Record<string, string | number>) => pageText(language, key, fields);
  const secondFactor = view.mfaEnabled ? t('mfaEnrolled') : view.mfaRequired ? t('mfaEnrolHow') : '';
  return renderPage(
    language,
    PAGE_STRINGS[language][WORDS[kind].doneTitle],
    (kind === 'reset' ? `<p>${t('resetDone')}</p>` : '') +
      `<p>${t('signInHow', { email: view.email, docsUrl: links.docsUrl, loginUrl: links.loginUrl })}</p>` +
      (secondFactor ? `<p class="note">${secondFactor}</p>` : '') +
      (links.docsAvailable ? `<p><a class="button" href="${escapeHtml(links.docsUrl)}">${t('openDocs')}</a></p>` : ''),
  );
}

/** Unknown, used, expired or of a disabled account: one page for all, so that it tells nothing more. */
export function invalidAccountLinkPage(language: Language, kind: AccountLinkKind): string {
  return renderPage(language, PAGE_STRINGS[language][WORDS[kind].invalidTitle], `<p>${pageText(language, WORDS[kind].invalid)}</p>`);
}
