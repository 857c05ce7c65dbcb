export type { BucketAuthStatus } from './bucket-auth-status.js';
export { createFileRefreshLock, type FileRefreshLockOptions } from './file-refresh-lock.js';
export { createFileTokenStore, type FileTokenStoreOptions } from './file-token-store.js';
export { defaultImportSources, findImportSource, type ImportSource } from './importers/default-import-sources.js';
export {
  type ImportedCredential,
  parseImportFile,
  readImportFile,
  type TokenImporter,
  tokenImporters,
} from './importers/index.js';
export { InvalidTokenFileError } from './invalid-token-file-error.js';
export { chatGptAccountId, decodeJwtPayload } from './jwt-claims.js';
export {
  describeLegacyMigration,
  findLegacyTokenFiles,
  type LegacyMigrationOutcome,
  migrateLegacyTokenFiles,
} from './legacy-token-files.js';
export { createMemoryTokenStore } from './memory-token-store.js';
export { NeedsLoginError, type NeedsLoginReason } from './needs-login-error.js';
export { RefreshFailedError } from './refresh-failed-error.js';
export { createInProcessRefreshLock, type RefreshLock } from './refresh-lock.js';
export type { RefreshRetryOptions } from './refresh-request.js';
export { type SeedOutcome, seedFromEnvironment } from './seed-from-environment.js';
export { TokenDecryptionError, type TokenDecryptionReason } from './token-decryption-error.js';
export {
  decryptTokenJson,
  type EncryptedEnvelope,
  encryptTokenJson,
  isEncryptedEnvelope,
  tokenKeyId,
} from './token-encryption.js';
export {
  type ApiKeyReference,
  isApiKeyReference,
  type OAuthTokenSet,
  parseStoredCredential,
  type StoredCredential,
} from './token-file.js';
export { parseTokenKey, readTokenKey, type TokenKeySetting, tokenKeyVariable } from './token-key.js';
export { TokenKeyError } from './token-key-error.js';
export { createTokenManager, type TokenManager, type TokenManagerOptions } from './token-manager.js';
export type { TokenStore } from './token-store.js';
