import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for secrets that must be read back (server API tokens, gateway credentials, TOTP secrets).
 * AES-256-GCM with a key derived from APP_KEY. Values are stored as `enc:v1:<iv>:<tag>:<ciphertext>` (base64 parts),
 * so a changed key fails loudly instead of returning garbage.
 */
let key: Buffer | null = null;

export function setAppKey(appKey: string): void {
  const material = appKey.startsWith('base64:') ? Buffer.from(appKey.slice(7), 'base64') : Buffer.from(appKey, 'utf8');
  // Hashing accepts keys of any length while giving AES exactly 32 bytes.
  key = createHash('sha256').update(material).digest();
}

function currentKey(): Buffer {
  if (!key) throw new Error('APP_KEY has not been loaded: call setAppKey() at start-up');
  return key;
}

const PREFIX = 'enc:v1:';

export function isEncrypted(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', currentKey(), iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
}

export function decryptSecret(stored: string): string {
  if (!isEncrypted(stored)) throw new Error('value is not an encrypted secret');
  const [iv, tag, ct] = stored.slice(PREFIX.length).split(':');
  const decipher = createDecipheriv('aes-256-gcm', currentKey(), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('cannot decrypt a stored secret: APP_KEY differs from the key it was encrypted with');
  }
}
