import type { SealedSecret } from '../domain/connection.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { OpenedSecret } from '../vault/opened-secret.ts';
import type { Vault } from '../vault/vault.ts';
import type { VaultError } from '../vault/vault-error.ts';

/**
 * A connection's secrets, sealed together as one value: the main credential and, for `atlassian-org`, the optional
 * Teams API token. One ciphertext per connection keeps rotation and re-sealing atomic. The owner (AAD) is the
 * connection id, so a sealed value copied onto another connection does not open.
 */
export interface SecretBundle {
  token: OpenedSecret;
  teamsToken?: OpenedSecret;
}

export function sealBundle(vault: Vault, connectionId: string, token: string, teamsToken?: string): SealedSecret {
  const plain = JSON.stringify(teamsToken === undefined ? { t: token } : { t: token, tt: teamsToken });
  return vault.seal(plain, connectionId);
}

export function openBundle(
  vault: Vault,
  connectionId: string,
  sealed: SealedSecret,
): Result<SecretBundle, VaultError | 'malformed_bundle'> {
  const opened = vault.open(sealed, connectionId);
  if (!opened.ok) return opened;
  let parsed: unknown;
  try {
    parsed = JSON.parse(opened.value.reveal());
  } catch {
    return err('malformed_bundle');
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { t?: unknown }).t !== 'string')
    return err('malformed_bundle');
  const { t, tt } = parsed as { t: string; tt?: unknown };
  const bundle: SecretBundle = { token: new OpenedSecret(t) };
  if (typeof tt === 'string') bundle.teamsToken = new OpenedSecret(tt);
  return ok(bundle);
}
