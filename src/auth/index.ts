export type { BucketAuthStatus } from './bucket-auth-status.js';
export { createFileRefreshLock, type FileRefreshLockOptions } from './file-refresh-lock.js';
export { createFileTokenStore, type FileTokenStoreOptions } from './file-token-store.js';
export { defaultImportSources, findImportSource, type ImportSource } from './importers/default-import-sources.js';
export { parseImportFile, readImportFile, tokenImporters, type ImportedCredential, type TokenImporter } from './importers/index.js';
export { describeLegacyMigration, findLegacyTokenFiles, migrateLegacyTokenFiles, type LegacyMigrationOutcome } from './legacy-token-files.js';
export { InvalidTokenFileError } from './invalid-token-file-error.js';
export { decodeJwtPayload, chatGptAccountId } from './jwt-claims.js';
export { createMemoryTokenStore } from './memory-token-store.js';
export { NeedsLoginError, type NeedsLoginReason } from './needs-login-error.js';
export { TokenDecryptionError, type TokenDecryptionReason } from './token-decryption-error.js';
export {
  decryptTokenJson,
  encryptTokenJson,
  isEncryptedEnvelope,
  tokenKeyId,
  type EncryptedEnvelope,
} from './token-encryption.js';
export { parseTokenKey, readTokenKey, tokenKeyVariable, type TokenKeySetting } from './token-key.js';
export { TokenKeyError } from './token-key-error.js';
export { RefreshFailedError } from './refresh-failed-error.js';
export { createInProcessRefreshLock, type RefreshLock } from './refresh-lock.js';
export type { RefreshRetryOptions } from './refresh-request.js';
export { seedFromEnvironment, type SeedOutcome } from './seed-from-environment.js';
export {
  isApiKeyReference,
  parseStoredCredential,
  type ApiKeyReference,
  type OAuthTokenSet,
  type StoredCredential,
} from './token-file.js';
export { createTokenManager, type TokenManager, type TokenManagerOptions } from './token-manager.js';
export type { TokenStore } from './token-store.js';
