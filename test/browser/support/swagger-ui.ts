import type { Locator, Page } from 'playwright-core';

/** One operation's block in Swagger UI, found as a person finds it: by method and path. */
export function operation(page: Page, method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string): Locator {
  return page.locator(`.opblock.opblock-${method}:has(.opblock-summary-path[data-path="${path}"])`);
}

export interface ExecutedOperation {
  status: number;
  /** The response body as Swagger UI shows it. */
  body: string;
  /** The curl command Swagger UI shows for what it sent. */
  curl: string;
}

/**
 * Opens the operation, types what a person would type (`body` into the request body editor, `query`
 * into the parameter fields), presses Execute and reads the answer from the page. "Try it out" is
 * on by default (tryItOutEnabled), so there is no extra button to press.
 */
export async function execute(block: Locator, input: { body?: unknown; query?: Record<string, string> } = {}): Promise<ExecutedOperation> {
  if (!(await block.locator('.opblock-body').isVisible())) await block.locator('.opblock-summary').first().click();
  const clear = block.locator('button.btn-clear');
  if (await clear.isVisible()) await clear.click();
  for (const [name, value] of Object.entries(input.query ?? {})) {
    await block.locator(`tr[data-param-name="${name}"] input`).fill(value);
  }
  if (input.body !== undefined) {
    await block.locator('textarea.body-param__text').fill(JSON.stringify(input.body, null, 2));
  }
  await block.locator('button.execute').click();
  const status = block.locator('.live-responses-table .response .response-col_status');
  await status.first().waitFor({ state: 'visible', timeout: 15_000 });
  return {
    status: Number((await status.first().innerText()).trim()),
    body: await block.locator('.live-responses-table .response-col_description pre').first().innerText(),
    curl: await block.locator('.curl-command').first().innerText(),
  };
}
