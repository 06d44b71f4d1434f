import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, FieldError } from '../errors/domain.error';

const MAX_DEPTH = 32;

/**
 * Refuses strings with lone UTF-16 surrogates anywhere in a body, query or parameter. JSON can carry
 * them (`"\ud800"`), but they are not text: validators throw on them (URIError in isEmail) and
 * PostgreSQL rejects them, both of which would otherwise surface as a 500. The same goes for NUL,
 * and for nesting deep enough to exhaust the validators' recursion.
 */
@Injectable()
export class WellFormedUnicodePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const problems: FieldError[] = [];
    collect(value, '', 0, problems);
    if (problems.length > 0) throw DomainError.validation(problems);
    return value;
  }
}

function collect(value: unknown, path: string, depth: number, problems: FieldError[]): void {
  if (problems.length >= 10) return;
  if (typeof value === 'string') {
    if (!value.isWellFormed()) problems.push({ field: path || 'value', message: 'is not well-formed Unicode text' });
    // PostgreSQL text cannot hold U+0000.
    else if (value.includes('\u0000')) problems.push({ field: path || 'value', message: 'must not contain the NUL character' });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  // No field of the API nests this deep; deeper input would overflow the stack of the validators after us.
  if (depth >= MAX_DEPTH) {
    problems.push({ field: path || 'value', message: `nests objects or arrays more than ${MAX_DEPTH} levels deep` });
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (!key.isWellFormed()) problems.push({ field: 'value', message: 'has a field name that is not well-formed Unicode text' });
    collect(item, field, depth + 1, problems);
  }
}
