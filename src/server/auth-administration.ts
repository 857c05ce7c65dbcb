import type { BucketAuthStatus } from '../auth/bucket-auth-status.js';
import type { ProviderName } from '../core/types.js';

/** Token administration behind `/auth/{provider}/...`; implemented over the token manager and store. */
export interface AuthAdministration {
  status(provider: ProviderName, bucket: string | undefined): Promise<BucketAuthStatus[]>;
  refresh(provider: ProviderName, bucket: string): Promise<{ refreshed: boolean; expiresAt: number | undefined }>;
  revoke(provider: ProviderName, bucket: string): Promise<boolean>;
}
