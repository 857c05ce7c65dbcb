import { oauthAt } from '../../src/auth/login/testing/test-login-io.js';
import { writePrivateFile } from '../../src/config/secure-files.js';
import type { ProviderName } from '../../src/core/types.js';
import { type Harness, simulatorConfig } from './harness.js';

/**
 * Writes the harness's config.yaml with `provider`'s login endpoints (token and authorize) at the
 * simulator, as its API already is, so a login started from the page or the CLI goes there.
 * Answers the authorize URL.
 */
export async function pointLoginAtSimulator(harness: Harness, provider: ProviderName): Promise<string> {
  const oauth = oauthAt(provider, harness.simulator.url);
  const tokenLine = `    tokenUrl: ${harness.simulator.url}/oauth/token\n`;
  const config = simulatorConfig(harness.simulator.url);
  const at = config.indexOf(tokenLine, config.indexOf(`  ${provider}:\n`));
  await writePrivateFile(
    harness.paths.config,
    `${config.slice(0, at)}    tokenUrl: ${oauth.tokenUrl}\n    authorizeUrl: ${oauth.authorizeUrl}\n` +
      config.slice(at + tokenLine.length),
  );
  return oauth.authorizeUrl;
}
