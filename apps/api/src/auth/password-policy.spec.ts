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

  it('judges the NFKC form, so full-width letters do not dodge the breach list', () => {
    expect(passwordProblems('ｑｗｅｒｔｙ１２３４５６', 'password')[0]?.message).toMatch(/too common/);
  });

  it('rejects the email address as a password', () => {
    expect(passwordProblems('officer@mofa.example', 'password', { email: 'Officer@MOFA.example' })[0]?.message).toMatch(/email/);
  });
});

describe('password hashing', () => {
  it('verifies a passphrase typed in another Unicode form (composed or decomposed accents)', async () => {
    const { hashPassword, verifyPassword } = await import('./password-hasher');
    const composed = 'caf\u00e9 au lait pour deux';
    const decomposed = 'cafe\u0301 au lait pour deux';
    const stored = await hashPassword(composed);
    await expect(verifyPassword(stored, decomposed)).resolves.toBe(true);
    await expect(verifyPassword(stored, 'cafe au lait pour deux')).resolves.toBe(false);
  });
});
