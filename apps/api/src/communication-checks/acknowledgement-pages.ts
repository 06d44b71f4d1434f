import escapeHtml from 'escape-html';
import { ErrorCode } from '@cbm/common';
import { formatInstantFor, Language, PAGE_STRINGS, pageText, renderPage } from '../localization';

/**
 * The page behind the mailed link, in the contact's language. Opening it changes nothing (mail
 * scanners open links); the form's POST, a person pressing the button, records the confirmation.
 */
export function confirmationPage(
  language: Language,
  view: { contactName: string; stateCode: string; windowEndsAt: Date; timeZone?: string | null },
  action: string,
): string {
  const deadline = formatInstantFor(view.windowEndsAt, language, view.timeZone);
  return renderPage(
    language,
    PAGE_STRINGS[language].ackTitle,
    `<p>${pageText(language, 'ackIntro', { contactName: view.contactName, stateCode: view.stateCode })}</p>` +
      `<p>${pageText(language, 'ackDeadline', { deadline })}</p>` +
      `<form method="post" action="${escapeHtml(action)}"><button type="submit">${pageText(language, 'ackConfirm')}</button></form>`,
  );
}

export function acknowledgedPage(language: Language, contactName: string): string {
  return renderPage(language, PAGE_STRINGS[language].ackDoneTitle, `<p>${pageText(language, 'ackDone', { contactName })}</p>`);
}

/** Unknown (404), already used or closed (410): said in the reader's words, not the API's. */
export function unusableLinkPage(language: Language, code: string): string {
  if (code === ErrorCode.AcknowledgementUsed || code === ErrorCode.AcknowledgementExpired) {
    const detail = code === ErrorCode.AcknowledgementUsed ? 'ackUsed' : 'ackExpired';
    return renderPage(language, PAGE_STRINGS[language].ackGoneTitle, `<p>${pageText(language, detail)}</p>`);
  }
  return renderPage(language, PAGE_STRINGS[language].ackUnknownTitle, `<p>${pageText(language, 'ackUnknown')}</p>`);
}
