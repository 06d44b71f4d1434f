import { json, RequestHandler, text } from 'express';

/** The route that takes a whole State's directory in one body (under the API prefix). */
export const DIRECTORY_IMPORT_ROUTE = 'directory/import';

/** A State's directory as one file: a few thousand rows fit, the row limit (IMPORT_MAX_ROWS) comes first in practice. */
export const IMPORT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * The import's own body parsers, mounted on its path before the application's: a larger limit than
 * every other route (413 beyond it), and CSV besides JSON. The application's JSON parser then finds
 * the body read and leaves it.
 */
export function directoryImportBodyParsers(): RequestHandler[] {
  return [
    json({ limit: IMPORT_BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] }),
    text({ limit: IMPORT_BODY_LIMIT_BYTES, type: ['text/csv'] }),
  ];
}
