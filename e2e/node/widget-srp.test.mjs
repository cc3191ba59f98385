// The widget's own SRP module (public/srp/srp.js, the code the browser runs) against the real
// server: USER_SRP_AUTH signs in without the password ever being sent, a wrong password gets
// Cognito's NotAuthorizedException, a page without a pool id falls back to USER_PASSWORD_AUTH,
// and a device confirmed with srp/device.js's verifier signs in through DEVICE_SRP_AUTH and
// DEVICE_PASSWORD_VERIFIER, skipping the pool's MFA; once the device is forgotten on the server,
// MFA is asked again. Starts its own `cognate serve --dev`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { admin as signedAdmin, startCognate } from './cognate.mjs';

// What the browser has and Node lacks: storage for the device secret, a user agent.
const stored = new Map();
globalThis.localStorage = {
  getItem: (key) => stored.get(key) ?? null,
  setItem: (key, value) => stored.set(key, String(value)),
  removeItem: (key) => stored.delete(key),
};

const { signIn, localDevice, keepDevice, pad, timestamp } = await import('../../public/srp/srp.js');
const { confirmDevice } = await import('../../public/srp/device.js');

let base;
let stop;
/** Every request body sent, to check what went over the wire. */
const sent = [];

before(async () => {
  ({ base, stop } = await startCognate('widget-srp'));
  const realFetch = globalThis.fetch;
  globalThis.fetch = (url, init) => {
    if (init?.headers?.['x-amz-target']) sent.push({ target: init.headers['x-amz-target'].split('.')[1], body: JSON.parse(init.body) });
    return realFetch(url, init);
  };
});

after(() => stop?.());

const admin = (operation, body) => signedAdmin(base, operation, body);

/** A pool (with `extra` settings), an SRP client and a confirmed user with an email. */
async function pool(extra = {}) {
  const { UserPool } = await admin('CreateUserPool', { PoolName: `widget-srp-${Date.now()}`, ...extra });
  const { UserPoolClient } = await admin('CreateUserPoolClient', {
    UserPoolId: UserPool.Id,
    ClientName: 'widget',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const username = 'wendy';
  const password = 'Widget-Passw0rd!';
  await admin('AdminCreateUser', {
    UserPoolId: UserPool.Id,
    Username: username,
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: 'wendy@example.com' }, { Name: 'email_verified', Value: 'true' }],
  });
  await admin('AdminSetUserPassword', { UserPoolId: UserPool.Id, Username: username, Password: password, Permanent: true });
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId, username, password, endpoint: `${base}/` };
}

const body = ([, text]) => JSON.parse(text);

test('pad and timestamp follow Cognito', () => {
  assert.deepEqual([...pad(0x7fn)], [0x7f]);
  assert.deepEqual([...pad(0x80n)], [0x00, 0x80]);
  assert.deepEqual([...pad(0x1234n)], [0x12, 0x34]);
  assert.equal(timestamp(new Date(Date.UTC(2026, 10, 3, 4, 5, 6))), 'Tue Nov 3 04:05:06 UTC 2026');
});

test('SRP signs in without sending the password; a wrong password is refused', async () => {
  const user = await pool();
  sent.length = 0;
  const answer = await signIn(user);
  assert.equal(answer[0], 200, answer[1]);
  assert.ok(body(answer).AuthenticationResult.AccessToken);
  assert.deepEqual(sent.map((s) => s.body.AuthFlow ?? s.body.ChallengeName), ['USER_SRP_AUTH', 'PASSWORD_VERIFIER']);
  assert.ok(!JSON.stringify(sent).includes(user.password), 'the password never leaves');

  const wrong = await signIn({ ...user, password: 'Wrong-Passw0rd!' });
  assert.equal(wrong[0], 400);
  assert.equal(body(wrong).__type, 'NotAuthorizedException');
  const unknown = await signIn({ ...user, username: 'nobody' });
  assert.equal(body(unknown).__type, 'NotAuthorizedException', 'unknown users look like wrong passwords');
});

test('without a pool id the widget uses USER_PASSWORD_AUTH', async () => {
  const user = await pool();
  sent.length = 0;
  const answer = await signIn({ ...user, poolId: '' });
  assert.equal(answer[0], 200, answer[1]);
  assert.deepEqual(sent.map((s) => s.body.AuthFlow), ['USER_PASSWORD_AUTH']);
});

test('a confirmed device skips MFA until it is forgotten', async () => {
  const user = await pool({
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
  });
  await admin('SetUserPoolMfaConfig', {
    UserPoolId: user.poolId, MfaConfiguration: 'ON', EmailMfaConfiguration: { Message: 'Code {####}', Subject: 'Code' },
  });
  await admin('AdminSetUserMFAPreference', {
    UserPoolId: user.poolId, Username: user.username, EmailMfaSettings: { Enabled: true, PreferredMfa: true },
  });
  const before = (await mailedCodes(user.username)).length;
  const first = body(await signIn(user));
  assert.equal(first.ChallengeName, 'EMAIL_OTP', 'a new device answers the MFA challenge');
  const code = await mailboxCode(user.username, before);
  const respond = async () => {
    const request = JSON.stringify({
      ClientId: user.clientId, ChallengeName: 'EMAIL_OTP', Session: first.Session,
      ChallengeResponses: { USERNAME: user.username, EMAIL_OTP_CODE: code },
    });
    const response = await fetch(user.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.RespondToAuthChallenge' },
      body: request,
    });
    return { request, text: await response.text() };
  };
  const { request, text } = await respond();
  assert.ok(JSON.parse(text).AuthenticationResult.NewDeviceMetadata, text);
  await confirmDevice(user.endpoint, request, text);
  const device = localDevice(user.clientId, user.username);
  assert.ok(device?.key.startsWith('us-east-1_'), 'the device secret is kept');

  sent.length = 0;
  const again = await signIn(user);
  assert.equal(again[0], 200, again[1]);
  assert.ok(body(again).AuthenticationResult.AccessToken, 'no MFA on the remembered device');
  assert.deepEqual(sent.map((s) => s.body.AuthFlow ?? s.body.ChallengeName),
    ['USER_SRP_AUTH', 'PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);

  await admin('AdminForgetDevice', { UserPoolId: user.poolId, Username: user.username, DeviceKey: device.key });
  const forgotten = body(await signIn(user));
  assert.equal(forgotten.ChallengeName, 'EMAIL_OTP', 'a forgotten device is asked for MFA again');
  keepDevice(user.clientId, user.username, null);
});

/** The 6-digit codes the dev mailbox holds for `username`, oldest first. */
async function mailedCodes(username) {
  const { messages } = await (await fetch(`${base}/_dev/mailbox.json`)).json();
  return messages.filter((m) => m.username === username).map((m) => /\b(\d{6})\b/.exec(m.body)?.[1]).filter(Boolean);
}

/** The newest code mailed to `username` once there are more than `before`; waits for delivery. */
async function mailboxCode(username, before) {
  for (let tries = 0; tries < 50; tries++) {
    const codes = await mailedCodes(username);
    if (codes.length > before) return codes.pop();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no code mailed to ${username}`);
}
