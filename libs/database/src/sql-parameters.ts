/** Adds `value` to the statement's parameters and returns its placeholder. */
export type Bind = (value: unknown) => string;

/** A statement's numbered parameters, and the `bind` that fills them in the order they appear. */
export function sqlParameters(): { params: unknown[]; bind: Bind } {
  const params: unknown[] = [];
  return { params, bind: (value) => `$${params.push(value)}` };
}

/** Escapes LIKE wildcards so that a search for "50%" finds the text "50%". */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
