// Verifies a Cognito JWT against the pool's JWKS with Node's crypto (RS256), as a host
// application's backend would.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

/** The verified payload of `token`; throws when the signature or the issuer is wrong. */
export async function verifyJwt(token: string, issuer: string): Promise<Record<string, unknown>> {
  const [header64, payload64, signature64] = token.split('.');
  const header = JSON.parse(Buffer.from(header64, 'base64url').toString()) as { kid: string; alg: string };
  if (header.alg !== 'RS256') throw new Error(`unexpected alg ${header.alg}`);
  const response = await fetch(`${issuer}/.well-known/jwks.json`);
  const { keys } = (await response.json()) as { keys: (JsonWebKey & { kid: string })[] };
  const jwk = keys.find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`no key ${header.kid} in the JWKS`);
  const valid = verify(
    'RSA-SHA256',
    Buffer.from(`${header64}.${payload64}`),
    createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(signature64, 'base64url'),
  );
  if (!valid) throw new Error('bad signature');
  const payload = JSON.parse(Buffer.from(payload64, 'base64url').toString()) as Record<string, unknown>;
  if (payload.iss !== issuer) throw new Error(`issuer ${payload.iss}, expected ${issuer}`);
  return payload;
}
