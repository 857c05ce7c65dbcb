import { describe, expect, it } from 'vitest';
import { parseImportFile } from './importers/index.js';
import { InvalidTokenFileError } from './invalid-token-file-error.js';
import { parseStoredCredential } from './token-file.js';

const source = '/home/u/.switchyard/oauth/anthropic/work1.json';

describe('parseStoredCredential', () => {
  it('accepts an OAuth token set with every optional field', () => {
    const tokens = {
      access_token: 'secret-access',
      refresh_token: 'secret-refresh',
      expires_at: 1_900_000_000,
      scope: 'user:inference',
      token_type: 'Bearer',
      account_id: 'acct',
      resource_url: 'portal.qwen.ai',
      project: 'p',
      needs_login: { reason: 'invalid_grant', since: 1_800_000_000 },
    };
    expect(parseStoredCredential(tokens, source)).toEqual(tokens);
  });

  it('accepts an API-key reference', () => {
    expect(parseStoredCredential({ type: 'api_key', env: 'ANTHROPIC_API_KEY' }, source)).toEqual({
      type: 'api_key',
      env: 'ANTHROPIC_API_KEY',
    });
  });

  it('names the file and the field, never the value', () => {
    const error = catchError(() =>
      parseStoredCredential({ access_token: 'secret-access', expires_at: 'secret-expiry' }, source),
    );
    expect(error).toBeInstanceOf(InvalidTokenFileError);
    expect(error.message).toContain(source);
    expect(error.message).toContain('field "expires_at"');
    expect(error.message).not.toContain('secret');
  });

  it('refuses an expires_at in milliseconds with a message that says so', () => {
    const error = catchError(() => parseStoredCredential({ access_token: 'a', expires_at: 1_900_000_000_000 }, source));
    expect(error.message).toMatch(/field "expires_at": must be Unix seconds \(this looks like milliseconds\)/);
  });

  it('refuses an API key written into the file', () => {
    const error = catchError(() => parseStoredCredential({ type: 'api_key', env: 'KEY', key: 'sk-secret' }, source));
    expect(error.message).toContain('"key"');
    expect(error.message).not.toContain('sk-secret');
  });

  it('refuses a missing access token, an unknown type and a non-object', () => {
    expect(catchError(() => parseStoredCredential({ refresh_token: 'r' }, source)).message).toContain(
      'field "access_token"',
    );
    expect(catchError(() => parseStoredCredential({ type: 'oauth2', access_token: 'a' }, source)).message).toContain(
      'field "type"',
    );
    expect(catchError(() => parseStoredCredential([], source)).message).toContain('expected a JSON object');
  });
});

describe('parseImportFile', () => {
  it('imports our own format and clears the needs_login mark and env-seed lineage', () => {
    const imported = parseImportFile(
      {
        access_token: 'a',
        refresh_token: 'r',
        expires_at: 1_900_000_000,
        needs_login: { reason: 'invalid_grant', since: 1 },
        seeded_from_env_sha256: 'x',
      },
      'tokens.json',
    );
    expect(imported).toEqual({ access_token: 'a', refresh_token: 'r', expires_at: 1_900_000_000 });
  });

  it('imports the camelCase form with expiresAt in milliseconds', () => {
    expect(
      parseImportFile(
        { accessToken: 'a', refreshToken: 'r', expiresAt: 1_900_000_000_123, scopes: ['x', 'y'] },
        'f.json',
      ),
    ).toEqual({
      access_token: 'a',
      refresh_token: 'r',
      expires_at: 1_900_000_000,
      scope: 'x y',
    });
  });

  it('imports the camelCase form with expiresAt in seconds', () => {
    expect(parseImportFile({ accessToken: 'a', expiresAt: 1_900_000_000 }, 'f.json')).toEqual({
      access_token: 'a',
      expires_at: 1_900_000_000,
    });
  });

  it('lists the accepted formats when it recognises none', () => {
    const error = catchError(() => parseImportFile({ token: 'secret-value' }, 'f.json'));
    expect(error.message).toContain('f.json');
    expect(error.message).toContain('accessToken');
    expect(error.message).toContain('access_token');
    expect(error.message).not.toContain('secret-value');
  });

  it('names the field of a camelCase file that is wrong', () => {
    expect(catchError(() => parseImportFile({ accessToken: 'a', expiresAt: 'soon' }, 'f.json')).message).toContain(
      'field "expiresAt"',
    );
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
