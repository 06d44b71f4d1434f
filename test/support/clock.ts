/**
 * The wall clock the app under test reads (`Date.now()`, `new Date()`), set by the test: a deadline
 * is passed, or a window is entered, by moving the clock, never by waiting for it. Only Date is faked;
 * timers, microtasks and I/O stay real, so HTTP and the database work as usual. The app runs in the
 * test's process (supertest), so it reads the same Date.
 */
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/** Runs `use` with the clock standing still at `at`, then gives the real clock back. */
export async function atTime<T>(at: Date | number, use: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({ now: at, doNotFake: [...REAL_TIMERS] });
  try {
    return await use();
  } finally {
    jest.useRealTimers();
  }
}
