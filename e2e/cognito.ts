// A minimal Cognito user-pool API client for test setup (Node's fetch), plus the dev mailbox.

/** A Cognito error response, e.g. `NotAuthorizedException`. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(`${type}: ${message}`);
  }
}

/** Calls one user-pool operation (`X-Amz-Target: AWSCognitoIdentityProviderService.<op>`). */
export async function cognito<T = Record<string, unknown>>(
  endpoint: string,
  operation: string,
  body: unknown,
): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    let type = `HTTP ${response.status}`;
    let message = text;
    try {
      const error = JSON.parse(text) as { __type?: string; message?: string };
      type = error.__type ?? type;
      message = error.message ?? '';
    } catch {
      // not JSON: keep the raw text
    }
    throw new CognitoError(type, message);
  }
  return (text ? JSON.parse(text) : {}) as T;
}

export interface MailMessage {
  recipient: string;
  username: string;
  subject: string;
  body: string;
  time: string;
}

/** Every 6-digit code the dev mailbox holds for `username`, oldest first. */
export async function codes(baseURL: string, username: string): Promise<string[]> {
  const response = await fetch(`${baseURL}/_dev/mailbox.json`);
  if (!response.ok) throw new Error(`mailbox: HTTP ${response.status}`);
  const { messages } = (await response.json()) as { messages: MailMessage[] };
  return messages
    .filter((message) => message.username === username)
    .map((message) => /\b(\d{6})\b/.exec(message.body)?.[1])
    .filter((found): found is string => !!found);
}

/** The newest 6-digit code the dev mailbox holds for `username` once it holds more than
 * `after` codes; waits briefly for delivery. */
export async function latestCode(baseURL: string, username: string, after = 0): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = await codes(baseURL, username);
    const code = found.length > after ? found.pop() : undefined;
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code in the mailbox for ${username}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
