import escapeHtml from 'escape-html';

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}' +
  'button{font-size:1.1rem;padding:.6rem 1.4rem;cursor:pointer}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)} · CBM Registry</title><style>${STYLE}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/**
 * The page behind the mailed link. Opening it changes nothing (mail scanners open links); the form's
 * POST, a person pressing the button, records the confirmation.
 */
export function confirmationPage(view: { contactName: string; stateCode: string; windowEndsAt: Date }, action: string): string {
  return page(
    'Communication check',
    `<p>This confirms that <strong>${escapeHtml(view.contactName)}</strong> (${escapeHtml(view.stateCode)}) can be reached ` +
      `through the CBM Registry's points of contact directory.</p>` +
      `<p>Please confirm before ${escapeHtml(view.windowEndsAt.toISOString().slice(0, 16).replace('T', ' '))} UTC.</p>` +
      `<form method="post" action="${escapeHtml(action)}"><button type="submit">Confirm</button></form>`,
  );
}

export function acknowledgedPage(contactName: string): string {
  return page('Thank you', `<p>The confirmation for <strong>${escapeHtml(contactName)}</strong> is recorded. You can close this page.</p>`);
}

export function unusableLinkPage(status: number, detail: string): string {
  return page(status === 404 ? 'Unknown link' : 'Link no longer valid', `<p>${escapeHtml(detail)}</p>`);
}
