import { ApiHeader } from '@nestjs/swagger';

/** Documents the If-Match header of a directory write: required for edits, optional for deactivate and verify. */
export function IfMatchHeader(required: boolean): MethodDecorator {
  return ApiHeader({ name: 'If-Match', description: 'The ETag of the entry as you last read it (e.g. "3").', required });
}
