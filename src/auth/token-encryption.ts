import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { TokenDecryptionError } from './token-decryption-error.js';
import type { TokenKeySetting } from './token-key.js';

/** The envelope's version marker; its presence is what says "this is encrypted". */
export const encryptedEnvelopeVersion = 1;

/**
 * An encrypted token set as stored on disk (or in Redis): AES-256-GCM over the JSON text,
 * a fresh 96-bit IV per write, and the key's short fingerprint so a wrong key is named as such.
 */
export const encryptedEnvelopeSchema = z.object({
  switchyard_encrypted: z.literal(encryptedEnvelopeVersion),
  cipher: z.literal('aes-256-gcm'),
  /** First 16 hex digits of sha256("switchyard-token-key" + key): identifies, never reveals, the key. */
  key_id: z.string(),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
});

export type EncryptedEnvelope = z.infer<typeof encryptedEnvelopeSchema>;

/** Bound into the authentication tag so an envelope cannot be replayed as another format version. */
const associatedData = Buffer.from(`switchyard-token-v${encryptedEnvelopeVersion}`);

/** True when parsed JSON claims to be an encrypted envelope (any version): it must not be read as plaintext. */
export function isEncryptedEnvelope(json: unknown): json is Record<string, unknown> {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && 'switchyard_encrypted' in json;
}

/** The key's public fingerprint, as stored in `key_id`. */
export function tokenKeyId(key: Buffer): string {
  return createHash('sha256').update('switchyard-token-key').update(key).digest('hex').slice(0, 16);
}

/** Encrypts a token set's JSON (any JSON value) with a 32-byte key. */
export function encryptTokenJson(value: unknown, key: Buffer): EncryptedEnvelope {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return {
    switchyard_encrypted: encryptedEnvelopeVersion,
    cipher: 'aes-256-gcm',
    key_id: tokenKeyId(key),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/**
 * Opens an envelope with the configured key and returns the JSON inside. Throws
 * TokenDecryptionError naming `source` for a missing, malformed or wrong key and for damage.
 */
export function decryptTokenJson(json: unknown, setting: TokenKeySetting, source: string): unknown {
  const version = isEncryptedEnvelope(json) ? json.switchyard_encrypted : undefined;
  if (version !== encryptedEnvelopeVersion) {
    throw new TokenDecryptionError(
      source,
      'unsupported-version',
      `switchyard_encrypted: ${JSON.stringify(version)?.slice(0, 20)}`,
    );
  }
  const parsed = encryptedEnvelopeSchema.safeParse(json);
  if (!parsed.success) throw new TokenDecryptionError(source, 'damaged');
  if (setting.kind === 'none') throw new TokenDecryptionError(source, 'missing-key');
  if (setting.kind === 'malformed') throw new TokenDecryptionError(source, 'malformed-key', setting.problem);
  const envelope = parsed.data;
  // The current key, or during a rotation the previous one that wrote this envelope.
  const key = [setting.key, ...(setting.previous ?? [])].find((candidate) => tokenKeyId(candidate) === envelope.key_id);
  if (key === undefined) {
    throw new TokenDecryptionError(
      source,
      'wrong-key',
      `key id ${envelope.key_id}; SWITCHYARD_TOKEN_KEY has key id ${tokenKeyId(setting.key)}`,
    );
  }
  const iv = Buffer.from(envelope.iv, 'base64');
  const tag = Buffer.from(envelope.tag, 'base64');
  // A shortened tag would weaken the integrity check: accept only what we write.
  if (iv.length !== 12 || tag.length !== 16) throw new TokenDecryptionError(source, 'damaged');
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(associatedData);
    decipher.setAuthTag(tag);
    text = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch (error) {
    throw new TokenDecryptionError(source, 'damaged', undefined, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TokenDecryptionError(source, 'damaged', undefined, { cause: error });
  }
}
