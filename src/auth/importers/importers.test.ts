import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidTokenFileError } from '../invalid-token-file-error.js';
import { readImportFile } from './index.js';

const fixture = (name: string): { json: unknown; path: string } => {
  const path = new URL(`./fixtures/${name}`, import.meta.url).pathname;
  return { json: JSON.parse(readFileSync(path, 'utf8')) as unknown, path };
};

function importError(action: () => unknown): InvalidTokenFileError {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidTokenFileError) return error;
    throw error;
  }
  throw new Error('expected an InvalidTokenFileError');
}

describe("auth import formats (each on a sample of the tool's real file)", () => {
  it('reads Claude Code .credentials.json: expiresAt in ms, scopes joined', () => {
    const { json, path } = fixture('claude-code.credentials.json');
    expect(readImportFile(json, path, 'anthropic')).toEqual({
      format: 'Claude Code .credentials.json (claudeAiOauth)',
      foreign: true,
      credential: {
        access_token: 'sk-ant-oat01-fake-access-token',
        refresh_token: 'sk-ant-ort01-fake-refresh-token',
        expires_at: 1_890_003_600,
        scope: 'user:inference user:profile user:sessions:claude_code',
        token_type: 'Bearer',
      },
    });
  });

  it("reads Codex auth.json: account id from tokens.account_id, expiry from the access token's exp claim", () => {
    const { json, path } = fixture('codex-auth.json');
    const { credential } = readImportFile(json, path, 'codex');
    expect(credential).toMatchObject({
      refresh_token: 'rt_fake-codex-refresh-token',
      account_id: 'acct-fake-0001',
      expires_at: 1_890_864_000,
      token_type: 'Bearer',
    });
  });

  it('reads Codex auth.json without tokens.account_id: the id_token claim names the account', () => {
    const { json, path } = fixture('codex-auth-without-account-id.json');
    expect(readImportFile(json, path, 'codex').credential).toMatchObject({
      account_id: 'acct-from-id-token',
      refresh_token: 'rt_fake-codex-refresh-token-2',
    });
  });

  it('refuses a Codex auth.json that holds only an API key, pointing at `auth openai key`', () => {
    const { json, path } = fixture('codex-auth-api-key.json');
    const error = importError(() => readImportFile(json, path, 'codex'));
    expect(error.message).toBe(
      `${path} is not a usable token file: it holds an API key ` +
        `(OPENAI_API_KEY), not a ChatGPT login; keep the key in an environment ` +
        `variable and run: switchyard auth openai key BUCKET --env VARIABLE. It ` +
        `was left untouched; fix or replace it.`,
    );
    expect(error.message).not.toContain('sk-fake-api-key');
  });

  it('reads Gemini CLI oauth_creds.json: expiry_date in ms', () => {
    const { json, path } = fixture('gemini-oauth_creds.json');
    expect(readImportFile(json, path, 'gemini').credential).toEqual({
      access_token: 'ya29.fake-gemini-access-token',
      refresh_token: '1//fake-gemini-refresh-token',
      expires_at: 1_890_003_599,
      scope:
        'https://www.googleapis.com/auth/cloud-platform ' +
        'https://www.googleapis.com/auth/userinfo.email ' +
        'https://www.googleapis.com/auth/userinfo.profile openid',
      token_type: 'Bearer',
    });
  });

  it('reads Qwen Code oauth_creds.json and keeps resource_url', () => {
    const { json, path } = fixture('qwen-oauth_creds.json');
    expect(readImportFile(json, path, 'qwen').credential).toEqual({
      access_token: 'fake-qwen-access-token',
      refresh_token: 'fake-qwen-refresh-token',
      expires_at: 1_890_003_600,
      token_type: 'Bearer',
      resource_url: 'portal.qwen.ai',
    });
  });

  it('reads llxprt-code oauth/<provider>.json: expiry in seconds', () => {
    const { json, path } = fixture('llxprt-anthropic.json');
    expect(readImportFile(json, path, 'anthropic')).toEqual({
      format: 'llxprt-code oauth/<provider>.json (access_token, refresh_token, expiry in s)',
      foreign: true,
      credential: {
        access_token: 'sk-ant-oat01-fake-llxprt-access-token',
        refresh_token: 'sk-ant-ort01-fake-llxprt-refresh-token',
        expires_at: 1_890_003_600,
        token_type: 'Bearer',
        scope: 'org:create_api_key user:profile user:inference',
      },
    });
  });

  it('reads the camelCase form and our own format (dropping needs_login: an import is a new login)', () => {
    const camel = fixture('camel-case.json');
    expect(readImportFile(camel.json, camel.path, 'anthropic').credential).toEqual({
      access_token: 'fake-camel-access-token',
      refresh_token: 'fake-camel-refresh-token',
      expires_at: 1_890_003_600,
      scope: 'user:inference',
    });
    const own = fixture('switchyard.json');
    expect(readImportFile(own.json, own.path, 'codex').foreign).toBe(false);
    expect(readImportFile(own.json, own.path, 'codex').credential).toEqual({
      access_token: 'fake-switchyard-access-token',
      refresh_token: 'fake-switchyard-refresh-token',
      expires_at: 1_890_003_600,
      scope: 'user:inference',
      token_type: 'Bearer',
    });
  });

  it("refuses another provider's login, naming the command that fits", () => {
    const { json, path } = fixture('claude-code.credentials.json');
    expect(importError(() => readImportFile(json, path, 'codex')).message).toBe(
      `${path} is not a usable token file: it is a Claude Code ` +
        `.credentials.json (claudeAiOauth), which holds a login for anthropic, ` +
        `not codex; import it with: switchyard auth anthropic import BUCKET ` +
        `--from ${path}. It was left untouched; fix or replace it.`,
    );
    const qwen = fixture('qwen-oauth_creds.json');
    expect(importError(() => readImportFile(qwen.json, qwen.path, 'anthropic')).message).toContain(
      'which holds a login for gemini or qwen, not anthropic',
    );
  });

  it("names the broken field of a tool's file, never its value", () => {
    const error = importError(() =>
      readImportFile({ claudeAiOauth: { accessToken: 'secret-value', expiresAt: 'soon' } }, 'c.json', 'anthropic'),
    );
    expect(error.message).toContain('field "claudeAiOauth.expiresAt"');
    expect(error.message).not.toContain('secret-value');
    expect(
      importError(() => readImportFile({ tokens: { refresh_token: 'secret-value' } }, 'a.json', 'codex')).message,
    ).toContain('field "tokens.access_token"');
  });
});
