// Remembered devices against the real server with the unmodified amazon-cognito-identity-js:
// in a pool that tracks devices (remembered on the user's prompt) a sign-in confirms its new
// device (ConfirmDevice with the library's device verifier), setDeviceStatusRemembered,
// listDevices and getDevice show it, the next sign-in proves the device through DEVICE_SRP_AUTH
// and DEVICE_PASSWORD_VERIFIER, and forgetDevice removes it. The pool is created with admin
// calls signed (SigV4) by the dev key (cognate.mjs). Starts its own `cognate serve --dev`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import cognito from 'amazon-cognito-identity-js';

import { admin as signedAdmin, call, startCognate } from './cognate.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognito;

let base;
let demo;
let stop;

before(async () => {
  ({ base, demo, stop } = await startCognate('devices'));
});

after(() => stop?.());

/** Turns an { onSuccess, onFailure } callback API into a promise. */
function callback(fn) {
  return new Promise((resolve, reject) => fn({ onSuccess: resolve, onFailure: reject }));
}

const admin = (operation, body) => signedAdmin(base, operation, body);

/** Signs in with SRP; resolves with the session, whether the device needs the user's
 * confirmation, and the challenges answered on the way. */
function authenticate(user, username, password) {
  const challenges = [];
  const request = user.client.request.bind(user.client);
  user.client.request = (operation, params, cb) => {
    if (operation === 'RespondToAuthChallenge') challenges.push(params.ChallengeName);
    return request(operation, params, cb);
  };
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary, challenges }),
      onFailure: reject,
      mfaRequired: () => reject(new Error('unexpected MFA')),
      totpRequired: () => reject(new Error('unexpected TOTP')),
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    });
  });
}

test('amazon-cognito-identity-js confirms, remembers, lists, signs in with and forgets a device', async () => {
  const { UserPool } = await admin('CreateUserPool', {
    PoolName: 'devices',
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  });
  const { UserPoolClient } = await admin('CreateUserPoolClient', {
    UserPoolId: UserPool.Id,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const username = 'devi';
  const password = 'Passw0rd!';
  await admin('AdminCreateUser', { UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS' });
  await admin('AdminSetUserPassword', { UserPoolId: UserPool.Id, Username: username, Password: password, Permanent: true });
  const pool = new CognitoUserPool({ UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, endpoint: `${base}/` });

  const user = new CognitoUser({ Username: username, Pool: pool });
  const first = await authenticate(user, username, password);
  assert.equal(first.userConfirmationNecessary, true);
  assert.ok(user.deviceKey.startsWith('us-east-1_'));
  const deviceKey = user.deviceKey;

  await callback((cb) => user.setDeviceStatusRemembered(cb));
  const listed = await callback((cb) => user.listDevices(10, null, cb));
  assert.equal(listed.Devices.length, 1);
  assert.equal(listed.Devices[0].DeviceKey, deviceKey);
  const status = listed.Devices[0].DeviceAttributes.find((a) => a.Name === 'device_status');
  assert.equal(status.Value, 'remembered');
  const got = await callback((cb) => user.getDevice(cb));
  assert.equal(got.Device.DeviceKey, deviceKey);

  // A new sign-in on this device proves the device password.
  const again = new CognitoUser({ Username: username, Pool: pool });
  const second = await authenticate(again, username, password);
  assert.deepEqual(second.challenges, ['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
  assert.ok(second.session.isValid());
  assert.equal(again.deviceKey, deviceKey);

  await callback((cb) => again.forgetDevice(cb));
  const none = await callback((cb) => again.listDevices(10, null, cb));
  assert.equal(none.Devices.length, 0);

  // Forgotten: the next sign-in gets (and confirms) a new device.
  const third = await authenticate(new CognitoUser({ Username: username, Pool: pool }), username, password);
  assert.deepEqual(third.challenges, ['PASSWORD_VERIFIER']);
  assert.equal(third.userConfirmationNecessary, true);
});
