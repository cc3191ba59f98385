// USER_SRP_AUTH against the real server with the unmodified amazon-cognito-identity-js, the
// reference SRP client: sign up, confirm (code from the dev mailbox), authenticateUser (SRP by
// default), refresh the session, change the password, sign in with the new one, global sign-out.
// Starts its own `cognate serve --dev` on a free port with a temporary data directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import cognito from 'amazon-cognito-identity-js';

import { call, startCognate } from './cognate.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } = cognito;

let base;
let demo;
let stop;

before(async () => {
  ({ base, demo, stop } = await startCognate('srp'));
});

after(() => stop?.());

function authenticate(user, username, password) {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
      mfaRequired: () => reject(new Error('unexpected MFA')),
      totpRequired: () => reject(new Error('unexpected TOTP')),
    });
  });
}

async function codeFor(email) {
  const { messages } = await (await fetch(`${base}/_dev/mailbox.json`)).json();
  const message = messages.filter((m) => m.recipient === email).at(-1);
  assert.ok(message, `a message for ${email}`);
  const code = message.body.match(/\b\d{6}\b/);
  assert.ok(code, `a code in ${message.body}`);
  return code[0];
}

test('amazon-cognito-identity-js signs up, signs in with SRP, refreshes, changes password, signs out', async () => {
  const pool = new CognitoUserPool({ UserPoolId: demo.userPoolId, ClientId: demo.clientId, endpoint: `${base}/` });
  const username = `srp${Date.now()}`;
  const email = `${username}@example.com`;
  const password = 'Passw0rd!';

  // ValidationData null, as the library sends it by default.
  await call((cb) => pool.signUp(username, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], null, cb));
  const fresh = new CognitoUser({ Username: username, Pool: pool });
  const code = await codeFor(email);
  await call((cb) => fresh.confirmRegistration(code, true, cb));

  const session = await authenticate(fresh, username, password);
  assert.ok(session.isValid());
  assert.equal(session.getIdToken().decodePayload()['cognito:username'], username);
  assert.equal(session.getIdToken().decodePayload().email, email);

  const refreshed = await call((cb) => fresh.refreshSession(session.getRefreshToken(), cb));
  assert.ok(refreshed.isValid());
  assert.equal(refreshed.getAccessToken().decodePayload().username, username);

  await call((cb) => fresh.changePassword(password, 'Changed1!', cb));

  const wrong = new CognitoUser({ Username: username, Pool: pool });
  await assert.rejects(authenticate(wrong, username, password), (err) => {
    assert.equal(err.code, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
    return true;
  });

  const again = new CognitoUser({ Username: email, Pool: pool });
  const second = await authenticate(again, email, 'Changed1!');
  assert.equal(second.getIdToken().decodePayload()['cognito:username'], username);

  await new Promise((resolve, reject) => again.globalSignOut({ onSuccess: resolve, onFailure: reject }));
  await assert.rejects(call((cb) => fresh.refreshSession(second.getRefreshToken(), cb)), (err) => {
    assert.equal(err.code, 'NotAuthorizedException');
    return true;
  });
});

test('an unknown user fails like a wrong password', async () => {
  const pool = new CognitoUserPool({ UserPoolId: demo.userPoolId, ClientId: demo.clientId, endpoint: `${base}/` });
  const ghost = new CognitoUser({ Username: 'nobody-here', Pool: pool });
  await assert.rejects(authenticate(ghost, 'nobody-here', 'Passw0rd!'), (err) => {
    assert.equal(err.code, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
    return true;
  });
});
