import { passwordProblems } from './password-policy';

describe('password policy', () => {
  it('accepts a long passphrase in any script, with no composition rules', () => {
    expect(passwordProblems('correct horse battery staple', 'password')).toEqual([]);
    expect(passwordProblems('Ω≈ç√∫˜µ≤≥÷ 安全な合言葉', 'password')).toEqual([]);
  });

  it('counts characters, not bytes: 12 emoji are 12 characters', () => {
    expect(passwordProblems('🔐'.repeat(12), 'password')).toEqual([]);
    expect(passwordProblems('🔐'.repeat(11), 'password')).toEqual([{ field: 'password', message: 'must be 12 to 128 characters long' }]);
  });

  it('rejects passwords shorter than 12 or longer than 128 characters', () => {
    expect(passwordProblems('short', 'newPassword')[0]).toMatchObject({ field: 'newPassword' });
    expect(passwordProblems('x'.repeat(129), 'password')).toHaveLength(1);
  });

  it('rejects passwords from breach lists, whatever their case', () => {
    expect(passwordProblems('qwerty123456', 'password')[0]?.message).toMatch(/too common/);
    expect(passwordProblems('LeaveMeAlone', 'password')[0]?.message).toMatch(/too common/);
  });

  it('rejects the email address as a password', () => {
    expect(passwordProblems('officer@mofa.example', 'password', { email: 'Officer@MOFA.example' })[0]?.message).toMatch(/email/);
  });
});
