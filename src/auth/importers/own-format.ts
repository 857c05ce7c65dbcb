import { isApiKeyReference, parseStoredCredential, withoutLoginState } from '../token-file.js';
import type { TokenImporter } from './token-importer.js';

/** switchyard's own token file (copied from another machine, or written by a script). */
export const ownFormatImporter: TokenImporter = {
  name: 'switchyard token file (access_token, refresh_token, expires_at in seconds)',
  detect: (json) => typeof json.access_token === 'string' || json.type === 'api_key',
  parse(json, source) {
    const credential = parseStoredCredential(json, source);
    // An import is a new login: whatever state the old file carried no longer applies.
    return isApiKeyReference(credential) ? credential : withoutLoginState(credential);
  },
};
