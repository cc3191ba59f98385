// AWS Amplify JS v6 (aws-amplify 6.22.1, unmodified) against the real server, configured with
// `userPoolEndpoint`; each test makes its own pool and app client (admin calls signed by the dev
// key, cognate.mjs). Covered: signUp and confirmSignUp (code from the dev mailbox); signIn by
// default with USER_SRP_AUTH (a fetch recorder checks the flow and that the password is never
// sent); getCurrentUser, fetchAuthSession, fetchUserAttributes; a wrong password and an unknown
// user (NotAuthorizedException), an unconfirmed user, USER_PASSWORD_AUTH; updatePassword and
// signOut (RevokeToken); forceRefresh (GetTokensFromRefreshToken); TOTP MFA (setUpTOTP,
// verifyTOTPSetup, updateMFAPreference, the TOTP code at sign-in), TOTP set up during sign-in
// (MFA_SETUP), email MFA chosen at sign-in (SELECT_MFA_TYPE, EMAIL_OTP); remembered devices
// (Amplify's ConfirmDevice, rememberDevice, DEVICE_SRP_AUTH, fetchDevices, forgetDevice); global
// sign-out. Node 20 has no `window`: Amplify falls back to its in-memory storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn,
  confirmSignUp,
  fetchAuthSession,
  fetchDevices,
  fetchMFAPreference,
  fetchUserAttributes,
  forgetDevice,
  getCurrentUser,
  rememberDevice,
  setUpTOTP,
  signIn,
  signOut,
  signUp,
  updateMFAPreference,
  updatePassword,
  verifyTOTPSetup,
} from 'aws-amplify/auth';

import { admin as signedAdmin, startCognate } from './cognate.mjs';

let base;
let stop;

// Node 20 has no `navigator` (browsers and Node 21+ do): Amplify names a new device after
// navigator.userAgent before ConfirmDevice and skips device tracking when that throws.
if (typeof globalThis.navigator === 'undefined') globalThis.navigator = { userAgent: 'cognate-amplify-test' };

/** Every Cognito call Amplify makes (it uses the global fetch): operation, request, status, reply. */
const sent = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init = {}) => {
  const target = new Headers(init.headers).get('x-amz-target');
  const response = await realFetch(url, init);
  if (target) {
    const text = await response.clone().text();
    const body = init.body ? JSON.parse(init.body) : {};
    sent.push({ operation: target.split('.').pop(), body, status: response.status, reply: text ? JSON.parse(text) : {} });
  }
  return response;
};
const operations = () => sent.map((s) => s.operation);
/** The refresh token of the last sign-in recorded (Amplify keeps it out of fetchAuthSession). */
const lastRefreshToken = () => sent.findLast((s) => s.reply.AuthenticationResult).reply.AuthenticationResult.RefreshToken;

before(async () => {
  ({ base, stop } = await startCognate('amplify'));
});

after(() => stop?.());

const admin = (operation, body) => signedAdmin(base, operation, body);

/** A new pool (with `settings`) and app client; Amplify is configured for them. */
async function usePool(name, settings = {}) {
  const { UserPool } = await admin('CreateUserPool', { PoolName: name, AutoVerifiedAttributes: ['email'], ...settings });
  const { UserPoolClient } = await admin('CreateUserPoolClient', {
    UserPoolId: UserPool.Id,
    ClientName: 'amplify',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    // Cognito's API default is LEGACY (Cognate's and the console's ENABLED): say it.
    PreventUserExistenceErrors: 'ENABLED',
  });
  Amplify.configure({
    Auth: { Cognito: { userPoolId: UserPool.Id, userPoolClientId: UserPoolClient.ClientId, userPoolEndpoint: `${base}/` } },
  });
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
}

/** A confirmed user with a permanent password and a verified email. */
async function createUser(poolId, username, password) {
  await admin('AdminCreateUser', {
    UserPoolId: poolId,
    Username: username,
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: `${username}@example.com` },
      { Name: 'email_verified', Value: 'true' },
    ],
  });
  await admin('AdminSetUserPassword', { UserPoolId: poolId, Username: username, Password: password, Permanent: true });
}

/** The six-digit code of the newest dev-mailbox message to `username`. */
async function codeFor(username) {
  const { messages } = await (await realFetch(`${base}/_dev/mailbox.json`)).json();
  const message = messages.filter((m) => m.username === username).at(-1);
  assert.ok(message, `a message for ${username}`);
  const code = message.body.match(/\b\d{6}\b/);
  assert.ok(code, `a code in ${message.body}`);
  return code[0];
}

/** A direct call of a public operation, bypassing Amplify: `{ status, body }`. */
async function cognito(operation, body) {
  const response = await realFetch(`${base}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A direct REFRESH_TOKEN_AUTH. */
const refresh = (clientId, token) =>
  cognito('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: token } });

/** The RFC 6238 code (HMAC-SHA-1, 6 digits, 30 s) of a base32 secret at time step `step`. */
function totp(secret, step) {
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) {
    bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[19] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
const nowStep = () => Math.floor(Date.now() / 30_000);

/** Asserts that `promise` rejects with the Cognito error `name` (Amplify's AuthError.name). */
const rejectsWith = (promise, name) =>
  assert.rejects(promise, (err) => {
    assert.equal(err.name, name, err.message);
    return true;
  });

test('signUp, confirmSignUp, SRP signIn by default, current user, session and attributes', async () => {
  await usePool('amplify-signup');
  const username = 'ada';
  const email = 'ada@example.com';
  const password = 'Passw0rd!';

  const signedUp = await signUp({ username, password, options: { userAttributes: { email } } });
  assert.equal(signedUp.isSignUpComplete, false);
  assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  assert.equal(signedUp.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  assert.equal(signedUp.nextStep.codeDeliveryDetails.attributeName, 'email');
  assert.match(signedUp.userId, /^[0-9a-f-]{36}$/);

  const confirmed = await confirmSignUp({ username, confirmationCode: await codeFor(username) });
  assert.equal(confirmed.isSignUpComplete, true);
  assert.equal(confirmed.nextStep.signUpStep, 'DONE');

  sent.length = 0;
  const result = await signIn({ username, password });
  assert.deepEqual(result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.deepEqual(operations(), ['InitiateAuth', 'RespondToAuthChallenge']);
  assert.equal(sent[0].body.AuthFlow, 'USER_SRP_AUTH');
  assert.match(sent[0].body.AuthParameters.SRP_A, /^[0-9a-f]+$/);
  assert.equal(sent[1].body.ChallengeName, 'PASSWORD_VERIFIER');
  for (const { operation, body } of sent) assert.ok(!JSON.stringify(body).includes(password), `${operation} sent the password`);

  const user = await getCurrentUser();
  assert.equal(user.username, username);
  assert.equal(user.userId, signedUp.userId);
  assert.deepEqual(user.signInDetails, { loginId: username, authFlowType: 'USER_SRP_AUTH' });

  const session = await fetchAuthSession();
  assert.equal(session.userSub, signedUp.userId);
  assert.equal(session.tokens.idToken.payload['cognito:username'], username);
  assert.equal(session.tokens.idToken.payload.email, email);
  assert.equal(session.tokens.accessToken.payload.username, username);
  assert.equal(session.tokens.accessToken.payload.token_use, 'access');

  const attributes = await fetchUserAttributes();
  assert.equal(attributes.email, email);
  assert.equal(attributes.email_verified, 'true');
  assert.equal(attributes.sub, signedUp.userId);
  await signOut();
});

test('a wrong password, an unconfirmed user, and USER_PASSWORD_AUTH', async () => {
  const { poolId } = await usePool('amplify-password');
  await createUser(poolId, 'bob', 'Passw0rd!');

  await rejectsWith(signIn({ username: 'bob', password: 'Wrong-pass1' }), 'NotAuthorizedException');
  await rejectsWith(signIn({ username: 'nobody', password: 'Passw0rd!' }), 'NotAuthorizedException');

  // Amplify turns UserNotConfirmedException into a next step.
  await signUp({ username: 'carol', password: 'Passw0rd!', options: { userAttributes: { email: 'carol@example.com' } } });
  const unconfirmed = await signIn({ username: 'carol', password: 'Passw0rd!' });
  assert.deepEqual(unconfirmed, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } });

  sent.length = 0;
  const result = await signIn({ username: 'bob', password: 'Passw0rd!', options: { authFlowType: 'USER_PASSWORD_AUTH' } });
  assert.equal(result.isSignedIn, true);
  assert.deepEqual(operations(), ['InitiateAuth']);
  assert.equal(sent[0].body.AuthFlow, 'USER_PASSWORD_AUTH');
  assert.equal((await getCurrentUser()).signInDetails.authFlowType, 'USER_PASSWORD_AUTH');
  await signOut();
});

test('updatePassword, then sign-out (RevokeToken) and sign-in with the new password', async () => {
  const { poolId, clientId } = await usePool('amplify-update');
  await createUser(poolId, 'dora', 'Passw0rd!');
  await signIn({ username: 'dora', password: 'Passw0rd!' });
  const { tokens } = await fetchAuthSession();
  const refreshToken = lastRefreshToken();

  await rejectsWith(updatePassword({ oldPassword: 'Not-the-one1', newPassword: 'Changed1!' }), 'NotAuthorizedException');
  sent.length = 0;
  await updatePassword({ oldPassword: 'Passw0rd!', newPassword: 'Changed1!' });
  assert.deepEqual(sent.map((s) => [s.operation, s.status]), [['ChangePassword', 200]]);

  sent.length = 0;
  await signOut();
  // The access token carries origin_jti, so Amplify revokes the refresh token.
  assert.deepEqual(sent.map((s) => [s.operation, s.status]), [['RevokeToken', 200]]);
  assert.equal(sent[0].body.ClientId, clientId);
  await rejectsWith(getCurrentUser(), 'UserUnAuthenticatedException');
  // RevokeToken ends the access token too.
  const revoked = await cognito('GetUser', { AccessToken: tokens.accessToken.toString() });
  assert.equal(revoked.status, 400);
  assert.equal(revoked.body.__type, 'NotAuthorizedException');
  const refreshed = await refresh(clientId, refreshToken);
  assert.equal(refreshed.status, 400);
  assert.equal(refreshed.body.__type, 'NotAuthorizedException');

  await rejectsWith(signIn({ username: 'dora', password: 'Passw0rd!' }), 'NotAuthorizedException');
  assert.equal((await signIn({ username: 'dora', password: 'Changed1!' })).isSignedIn, true);
  await signOut();
});

test('fetchAuthSession({ forceRefresh: true }) gets new tokens from the refresh token', async () => {
  const { poolId, clientId } = await usePool('amplify-refresh');
  await createUser(poolId, 'eve', 'Passw0rd!');
  await signIn({ username: 'eve', password: 'Passw0rd!' });
  const before = (await fetchAuthSession()).tokens;

  sent.length = 0;
  const after = (await fetchAuthSession({ forceRefresh: true })).tokens;
  assert.deepEqual(operations(), ['GetTokensFromRefreshToken']);
  assert.equal(sent[0].status, 200);
  assert.equal(sent[0].body.ClientId, clientId);
  assert.notEqual(after.accessToken.toString(), before.accessToken.toString());
  assert.notEqual(after.idToken.toString(), before.idToken.toString());
  assert.equal(after.accessToken.payload.username, 'eve');
  assert.equal(after.idToken.payload['cognito:username'], 'eve');
  assert.equal(after.accessToken.payload.origin_jti, before.accessToken.payload.origin_jti);

  const me = await cognito('GetUser', { AccessToken: after.accessToken.toString() });
  assert.equal(me.status, 200);
  assert.equal(me.body.Username, 'eve');
  await signOut();
});

test('TOTP: setUpTOTP, verifyTOTPSetup, updateMFAPreference, then a sign-in with the code', async () => {
  const { poolId } = await usePool('amplify-totp');
  const mfa = { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } };
  await admin('SetUserPoolMfaConfig', { UserPoolId: poolId, ...mfa });
  await createUser(poolId, 'finn', 'Passw0rd!');
  assert.equal((await signIn({ username: 'finn', password: 'Passw0rd!' })).isSignedIn, true);

  const setup = await setUpTOTP();
  assert.match(setup.sharedSecret, /^[A-Z2-7]+=*$/);
  const uri = setup.getSetupUri('Cognate');
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.searchParams.get('secret'), setup.sharedSecret);
  const verifiedAt = nowStep();
  const good = totp(setup.sharedSecret, verifiedAt);
  await rejectsWith(verifyTOTPSetup({ code: good === '000000' ? '111111' : '000000' }), 'EnableSoftwareTokenMFAException');
  await verifyTOTPSetup({ code: good });
  await updateMFAPreference({ totp: 'PREFERRED' });
  assert.deepEqual(await fetchMFAPreference(), { enabled: ['TOTP'], preferred: 'TOTP' });
  await signOut();

  const challenged = await signIn({ username: 'finn', password: 'Passw0rd!' });
  assert.equal(challenged.isSignedIn, false);
  assert.equal(challenged.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  // A code is accepted once and one step either side of now: use a step after the verified one.
  const step = Math.max(nowStep(), verifiedAt + 1);
  const right = totp(setup.sharedSecret, step);
  const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
  await rejectsWith(confirmSignIn({ challengeResponse: wrong }), 'CodeMismatchException');

  const again = await signIn({ username: 'finn', password: 'Passw0rd!' });
  assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  sent.length = 0;
  const done = await confirmSignIn({ challengeResponse: right });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal(sent[0].body.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  assert.equal((await getCurrentUser()).username, 'finn');
  await signOut();
});

test('MFA required: TOTP set up during sign-in (MFA_SETUP)', async () => {
  const { poolId } = await usePool('amplify-totp-setup');
  await admin('SetUserPoolMfaConfig', { UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
  await createUser(poolId, 'ivy', 'Passw0rd!');

  const setup = await signIn({ username: 'ivy', password: 'Passw0rd!' });
  assert.equal(setup.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
  const { sharedSecret } = setup.nextStep.totpSetupDetails;
  assert.match(sharedSecret, /^[A-Z2-7]+=*$/);
  sent.length = 0;
  const done = await confirmSignIn({ challengeResponse: totp(sharedSecret, nowStep()) });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.deepEqual(sent.map((s) => s.body.ChallengeName ?? s.operation), ['VerifySoftwareToken', 'MFA_SETUP']);
  assert.deepEqual((await fetchMFAPreference()).enabled, ['TOTP']);
  await signOut();
});

test('email MFA: choosing between TOTP and email, the code from the mailbox', async () => {
  const { poolId } = await usePool('amplify-email-mfa');
  // (Cognito also wants the pool to send email through SES for email MFA; Cognate's mailbox will do.)
  const mfa = { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} };
  await admin('SetUserPoolMfaConfig', { UserPoolId: poolId, ...mfa });
  await createUser(poolId, 'jon', 'Passw0rd!');
  await signIn({ username: 'jon', password: 'Passw0rd!' });
  const { sharedSecret } = await setUpTOTP();
  await verifyTOTPSetup({ code: totp(sharedSecret, nowStep()) });
  await updateMFAPreference({ totp: 'ENABLED', email: 'ENABLED' });
  const preference = await fetchMFAPreference();
  assert.deepEqual([...preference.enabled].sort(), ['EMAIL', 'TOTP']);
  assert.equal(preference.preferred, undefined);
  await signOut();

  const select = await signIn({ username: 'jon', password: 'Passw0rd!' });
  assert.equal(select.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
  assert.deepEqual([...select.nextStep.allowedMFATypes].sort(), ['EMAIL', 'TOTP']);
  const emailed = await confirmSignIn({ challengeResponse: 'EMAIL' });
  assert.equal(emailed.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  assert.equal(emailed.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  assert.match(emailed.nextStep.codeDeliveryDetails.destination, /^j\*+@/);
  const done = await confirmSignIn({ challengeResponse: await codeFor('jon') });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await getCurrentUser()).username, 'jon');
  await signOut();
});

test('devices: confirmed on sign-in, rememberDevice, DEVICE_SRP_AUTH, fetchDevices, forgetDevice', async () => {
  const { poolId } = await usePool('amplify-devices', {
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  });
  await createUser(poolId, 'gus', 'Passw0rd!');

  sent.length = 0;
  assert.equal((await signIn({ username: 'gus', password: 'Passw0rd!' })).isSignedIn, true);
  assert.deepEqual(sent.map((s) => [s.operation, s.status]), [
    ['InitiateAuth', 200],
    ['RespondToAuthChallenge', 200],
    ['ConfirmDevice', 200],
  ]);
  const deviceKey = sent[2].body.DeviceKey;
  assert.match(deviceKey, new RegExp(`^${poolId.split('_')[0]}_`));
  assert.equal(sent[2].body.DeviceName, navigator.userAgent);

  await rememberDevice();
  const [device, ...others] = await fetchDevices();
  assert.equal(others.length, 0);
  assert.equal(device.id, deviceKey);
  assert.equal(device.name, navigator.userAgent);
  assert.equal(device.attributes.device_status, 'remembered');
  assert.ok(device.createDate instanceof Date && Math.abs(device.createDate - Date.now()) < 60_000, `${device.createDate}`);
  await signOut();

  // The next sign-in proves the remembered device.
  sent.length = 0;
  assert.equal((await signIn({ username: 'gus', password: 'Passw0rd!' })).isSignedIn, true);
  assert.deepEqual(
    sent.map((s) => s.body.ChallengeName ?? s.operation),
    ['InitiateAuth', 'PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER'],
  );
  assert.equal(sent[1].body.ChallengeResponses.DEVICE_KEY, deviceKey);
  assert.equal(sent[3].body.ChallengeResponses.DEVICE_KEY, deviceKey);

  await forgetDevice();
  assert.deepEqual(await fetchDevices(), []);
  await signOut();
});

test('signOut({ global: true }) ends the access and refresh tokens', async () => {
  const { clientId, poolId } = await usePool('amplify-global');
  await createUser(poolId, 'hal', 'Passw0rd!');
  await signIn({ username: 'hal', password: 'Passw0rd!', options: { authFlowType: 'USER_PASSWORD_AUTH' } });
  const { tokens } = await fetchAuthSession();
  const refreshToken = lastRefreshToken();
  assert.equal((await cognito('GetUser', { AccessToken: tokens.accessToken.toString() })).status, 200);

  sent.length = 0;
  await signOut({ global: true });
  assert.deepEqual(sent.map((s) => [s.operation, s.status]), [['GlobalSignOut', 200]]);
  await rejectsWith(getCurrentUser(), 'UserUnAuthenticatedException');

  const old = await cognito('GetUser', { AccessToken: tokens.accessToken.toString() });
  assert.equal(old.status, 400);
  assert.equal(old.body.__type, 'NotAuthorizedException');
  const refreshed = await refresh(clientId, refreshToken);
  assert.equal(refreshed.status, 400);
  assert.equal(refreshed.body.__type, 'NotAuthorizedException');
});
