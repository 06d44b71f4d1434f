import canonicalize from 'canonicalize';
import { plainToInstance } from 'class-transformer';
import { createHash } from 'node:crypto';
import { CreateRequestDto } from './dto/request.dto';
import { requestHashOf } from './request-filing.service';

describe('requestHashOf', () => {
  it('hashes a filing as the SHA-256 of its JSON copy, canonicalized (the form of the records already kept)', () => {
    const dto = plainToInstance(CreateRequestDto, {
      type: 'ASSISTANCE',
      recipients: ['fra', 'BRA'],
      urgency: 'URGENT',
      title: ' Ransomware ',
      description: 'A hospital network.',
      incidentStart: '2025-03-01T10:00:00+02:00',
      respondBy: null,
      indicators: [{ type: 'IPV4', value: '203.0.113.7' }],
      language: 'EN',
    });
    expect(dto.incidentStart).toBeInstanceOf(Date);
    const fromCopy = createHash('sha256').update(canonicalize(JSON.parse(JSON.stringify(dto))) ?? '').digest('hex');
    expect(requestHashOf(dto)).toBe(fromCopy);
  });
});
