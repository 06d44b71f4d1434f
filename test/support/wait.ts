import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Resolves once `condition()` holds, checking it after every turn of the event loop; fails with
 * `description` if it does not hold within `timeoutMs`. The bound only turns a hang into a failure:
 * it is no margin a slow machine could exceed while the behaviour is right.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}`);
    await nextTurn();
  }
}
