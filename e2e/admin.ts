// Admin calls for test setup: user-pool operations signed with AWS SigV4 (HMAC-SHA256, header
// form) by the dev admin key, written with Node's crypto rather than an AWS SDK.
import { createHash, createHmac } from 'node:crypto';

import { CognitoError } from './cognito';

/** The dev admin key `cognate serve --dev` accepts (printed in its banner). */
export const DEV_KEY = {
  accessKeyId: 'AKIACOGNATEDEVKEY000',
  secretAccessKey: 'cognate/dev/secret/access/key/not/for/production',
};

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** Calls an admin operation, SigV4-signed for `cognito-idp` in `region`. */
export async function admin<T = Record<string, unknown>>(
  endpoint: string,
  region: string,
  operation: string,
  body: unknown,
): Promise<T> {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    'POST',
    url.pathname || '/',
    '',
    ...names.map((name) => `${name}:${headers[name]}`),
    '',
    names.join(';'),
    sha256(payload),
  ].join('\n');
  const scope = `${day}/${region}/cognito-idp/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${DEV_KEY.secretAccessKey}`, day);
  for (const part of [region, 'cognito-idp', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${DEV_KEY.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
    },
    body: payload,
  });
  const text = await response.text();
  if (!response.ok) {
    const error = JSON.parse(text || '{}') as { __type?: string; message?: string };
    throw new CognitoError(error.__type ?? `HTTP ${response.status}`, error.message ?? text);
  }
  return (text ? JSON.parse(text) : {}) as T;
}
