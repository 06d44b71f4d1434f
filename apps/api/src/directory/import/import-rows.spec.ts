import { DomainError } from '@cbm/common';
import { CSV_COLUMNS } from '../export';
import { csvRows, IMPORT_MAX_ROWS, jsonRows, unescapeCell } from './import-rows';

const header = CSV_COLUMNS.join(',');

describe('unescapeCell', () => {
  it.each([
    ["'=SUM(A1)", '=SUM(A1)'],
    ["'+1", '+1'],
    ["'-1", '-1'],
    ["'@x", '@x'],
    ["'\tx", '\tx'],
    ["'\rx", '\rx'],
    ["'plain", "'plain"],
    ["''=x", "''=x"],
    ['=1+1', '=1+1'],
    ['', ''],
  ])('undoes exactly the export\'s escape: %j → %j', (cell, expected) => {
    expect(unescapeCell(cell)).toBe(expected);
  });
});

describe('csvRows', () => {
  it('reads contacts and CERTs in the export\'s columns, numbering rows as a spreadsheet does', () => {
    const rows = csvRows(
      `\uFEFF${header}\n` +
        'contact,,lso,TECHNICAL,Duty officer,,duty@lso.example; ops@lso.example,24x7:+26622312345;fax:+26622312399,true,Africa/Maseru,en;st,IGNORED,2027-01-01,,2026-01-01,false,2026-01-01\n' +
        '\n' +
        'cert,0b8d7c4e-5a4e-4c2b-9d8e-3f1a2b3c4d5e,,NATIONAL,CERT-LS,LSCERT,cert@lso.example,emergency:+26622319999,,Africa/Maseru,en,,,,,,\n',
    );
    expect(rows).toEqual([
      {
        row: 2,
        kind: 'contact',
        stateCode: 'LSO',
        input: {
          kind: 'TECHNICAL',
          name: 'Duty officer',
          emails: ['duty@lso.example', 'ops@lso.example'],
          timeZone: 'Africa/Maseru',
          languages: ['en', 'st'],
          available24x7: true,
          organisation: null,
          phones: [{ label: '24x7', number: '+26622312345' }, { label: 'fax', number: '+26622312399' }],
          certId: null,
        },
        errors: [],
      },
      {
        row: 3,
        kind: 'cert',
        id: '0b8d7c4e-5a4e-4c2b-9d8e-3f1a2b3c4d5e',
        input: { type: 'NATIONAL', name: 'CERT-LS', shortName: 'LSCERT', emails: ['cert@lso.example'], timeZone: 'Africa/Maseru', languages: ['en'], emergencyPhone: '+26622319999' },
        errors: [],
      },
    ]);
  });

  it('leaves out the columns a file leaves out (their fields stay as they are)', () => {
    expect(csvRows('entry,kindOrType,name,emails,timeZone,languages\ncontact,POLICY,A,a@x.example,UTC,en\n')[0].input).toEqual({
      kind: 'POLICY',
      name: 'A',
      emails: ['a@x.example'],
      timeZone: 'UTC',
      languages: ['en'],
    });
  });

  it('refuses a second phone on a CERT, a certId on a CERT, and a text that is not a boolean goes to the validator', () => {
    const [row] = csvRows(`${header}\ncert,,,NATIONAL,C,,c@x.example,emergency:+26622319999;office:+26622319998,maybe,UTC,en,,,${'0b8d7c4e-5a4e-4c2b-9d8e-3f1a2b3c4d5e'},,,\n`);
    expect(row.errors).toEqual([
      { field: 'phones', message: 'a CERT has one phone, written emergency:+…' },
      { field: 'certId', message: 'is for contacts: leave it empty for a CERT' },
    ]);
    expect(row.input.available24x7).toBe('maybe');
  });

  it('refuses a file that is not CSV, an empty one, and one row more than the limit, without reading the rest', () => {
    const refusal = (text: string) => {
      try {
        csvRows(text);
      } catch (error) {
        return (error as DomainError).errors;
      }
      return undefined;
    };
    expect(refusal('')).toEqual([{ field: 'body', message: 'is empty: the first row must be the header' }]);
    expect(refusal(`${header}\n"unterminated`)?.[0].field).toBe('body');
    const rows = (count: number) => `${header}\n${'contact,,,POLICY,A,,a@x.example,,,UTC,en,,,,,,\n'.repeat(count)}`;
    expect(csvRows(rows(IMPORT_MAX_ROWS))).toHaveLength(IMPORT_MAX_ROWS);
    expect(refusal(rows(IMPORT_MAX_ROWS + 1))).toEqual([{ field: 'rows', message: `must be at most ${IMPORT_MAX_ROWS}` }]);
  });
});

describe('jsonRows', () => {
  it('takes the JSON export as it is: bookkeeping ignored, the key object stands for its armored text, rows numbered contacts first', () => {
    const rows = jsonRows({
      exportedAt: '2026-12-07T10:00:00.000Z',
      contacts: [{ id: 'c1', stateCode: 'lso', name: 'A', status: 'ACTIVE', stale: true, version: 3, createdAt: 'x', updatedAt: 'y', lastVerifiedAt: null, deliveryFailedAt: null, pgpKey: { armored: 'KEY', fingerprint: 'F' } }],
      certs: [{ name: 'C', technicalContacts: [] }, 'not an object'],
    });
    expect(rows).toEqual([
      { row: 1, kind: 'contact', id: 'c1', stateCode: 'LSO', input: { name: 'A', pgpKey: 'KEY' }, errors: [] },
      { row: 2, kind: 'cert', input: { name: 'C' }, errors: [] },
      { row: 3, kind: 'cert', input: {}, errors: [{ field: '', message: 'must be an object' }] },
    ]);
  });

  it('refuses a body that is not the expected object, naming the fields', () => {
    expect(() => jsonRows([])).toThrow(DomainError);
    try {
      jsonRows({ contacts: {}, people: [] });
    } catch (error) {
      expect((error as DomainError).errors).toEqual([
        { field: 'people', message: 'is not a known field' },
        { field: 'contacts', message: 'must be an array' },
      ]);
    }
    expect.assertions(2);
  });
});
