// Admin calls for test setup: user-pool and identity-pool operations signed with AWS SigV4
// (HMAC-SHA256, header form) by the dev admin key, written with Node's crypto rather than an
// AWS SDK; the same signer signs requests with credentials an identity pool issued.
import { createHash, createHmac } from 'node:crypto';

import { CognitoError } from './cognito';

/** The dev admin key `cognate serve --dev` accepts (printed in its banner). */
export const DEV_KEY = {
  accessKeyId: 'AKIACOGNATEDEVKEY000',
  secretAccessKey: 'cognate/dev/secret/access/key/not/for/production',
};

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** A key that signs requests: the admin key, or temporary credentials with their session token. */
export interface SigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A request to sign: `headers` must hold `host`; names are lowercased when signed. */
export interface UnsignedRequest {
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Signs a request with SigV4 (header form) for `service` in `region` and returns all its
 * headers: the given ones lowercased, `x-amz-date`, `x-amz-security-token` when the key has a
 * session token, and `authorization`. Path and query must need no further encoding.
 */
export function signV4(request: UnsignedRequest, key: SigningKey, region: string, service: string, now = new Date()) {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { 'x-amz-date': amzDate };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  if (key.sessionToken) headers['x-amz-security-token'] = key.sessionToken;
  const names = Object.keys(headers).sort();
  const canonical = [
    request.method,
    request.path || '/',
    request.query ?? '',
    ...names.map((name) => `${name}:${headers[name].trim()}`),
    '',
    names.join(';'),
    sha256(request.body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let signingKey = hmac(`AWS4${key.secretAccessKey}`, day);
  for (const part of [region, service, 'aws4_request']) signingKey = hmac(signingKey, part);
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}

/**
 * Calls an admin operation, SigV4-signed with the dev admin key in `region`: by default a
 * user-pool operation (`AWSCognitoIdentityProviderService`, service `cognito-idp`); with
 * `targetPrefix` `AWSCognitoIdentityService`, an identity-pool one (service `cognito-identity`).
 */
export async function admin<T = Record<string, unknown>>(
  endpoint: string,
  region: string,
  operation: string,
  body: unknown,
  targetPrefix = 'AWSCognitoIdentityProviderService',
): Promise<T> {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body);
  const service = targetPrefix === 'AWSCognitoIdentityService' ? 'cognito-identity' : 'cognito-idp';
  const request = {
    method: 'POST',
    path: url.pathname || '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      host: url.host,
      'x-amz-target': `${targetPrefix}.${operation}`,
    },
    body: payload,
  };
  const headers = signV4(request, DEV_KEY, region, service);
  const response = await fetch(endpoint, { method: 'POST', headers, body: payload });
  const text = await response.text();
  if (!response.ok) {
    const error = JSON.parse(text || '{}') as { __type?: string; message?: string };
    throw new CognitoError(error.__type ?? `HTTP ${response.status}`, error.message ?? text);
  }
  return (text ? JSON.parse(text) : {}) as T;
}
