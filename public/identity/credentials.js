// Temporary AWS credentials from a Cognito identity pool, loaded on demand by cognate.js
// (`getCredentials(element)`). The element's `identity-pool-id` attribute names the pool; its
// `endpoint` (Cognate serves both APIs at one URL), else `region` (AWS: cognito-identity in the
// identity pool's region), else the page's origin is where the requests go. Signed in, the ID
// token is the login (provider: its `iss` without the scheme); signed out, a guest identity.
// GetId then GetCredentialsForIdentity (JSON 1.1). Identity ids are kept per (identity pool,
// user or guest) where the widget keeps its session (`storage`); credentials in memory only,
// reused until 5 minutes before they expire and dropped when the element signs in or out.
// Failures reject with an Error whose `name` is the Cognito exception name.

const MARGIN = 5 * 60 * 1000;
const memory = new Map(); // identity ids with storage="memory" (or when storage is blocked)
const cache = new WeakMap(); // element → { principal, promise, credentials }
const watched = new WeakSet();

function settingsOf(element) {
  const attribute = (name) => (element.getAttribute(name) || '').trim();
  const identityPoolId = attribute('identity-pool-id');
  if (!identityPoolId) throw new Error('getCredentials needs the identity-pool-id attribute');
  const region = attribute('region');
  const poolRegion = /^[a-z]{2}(-[a-z]+)+-\d+$/.test(identityPoolId.split(':')[0]) ? identityPoolId.split(':')[0] : region;
  const endpoint = attribute('endpoint') ||
    (region ? `https://cognito-identity.${poolRegion}.amazonaws.com/` : new URL('/', location.href).href);
  const kind = attribute('storage').toLowerCase() || 'session';
  let storage = null;
  try {
    if (kind === 'session' || kind === 'sessionstorage') storage = sessionStorage;
    if (kind === 'local' || kind === 'localstorage') storage = localStorage;
  } catch {
    storage = null; // storage blocked: memory
  }
  return { identityPoolId, endpoint, region, userPoolId: attribute('user-pool-id'), storage };
}

/** Reads, writes or (with `null`) removes a kept identity id; memory if storage fails. */
function keep(storage, key, value) {
  const target = storage || {
    getItem: (k) => memory.get(k) ?? null,
    setItem: (k, v) => memory.set(k, v),
    removeItem: (k) => memory.delete(k),
  };
  try {
    if (value === undefined) return target.getItem(key);
    if (value === null) target.removeItem(key);
    else target.setItem(key, value);
  } catch {
    if (storage) return keep(null, key, value);
  }
  return null;
}

/** The login of a session: `{ provider, subject, idToken }`. */
function loginOf(idToken, settings) {
  const part = idToken.split('.')[1] || '';
  const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes));
  const provider = claims.iss
    ? claims.iss.replace(/^https?:\/\//, '')
    : `cognito-idp.${settings.region}.amazonaws.com/${settings.userPoolId}`;
  return { provider, subject: claims.sub, idToken };
}

/** One Cognito Identity call; rejects with an Error named after the exception. */
async function call(endpoint, operation, body) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let answer = {};
  try {
    answer = text ? JSON.parse(text) : {};
  } catch {
    // not JSON: the text is the message
  }
  if (!response.ok) {
    const type = answer.__type || response.headers.get('x-amzn-errortype') || `HTTP${response.status}Error`;
    const error = new Error(answer.message || answer.Message || text || type);
    error.name = type.split('#').pop().split(':')[0];
    throw error;
  }
  return answer;
}

/** GetId (unless an identity id is kept) then GetCredentialsForIdentity. */
async function issue(settings, login) {
  const { identityPoolId, endpoint, storage } = settings;
  const Logins = login ? { [login.provider]: login.idToken } : undefined;
  const key = `cognate:identity:${identityPoolId}:${login ? login.subject : 'guest'}`;
  for (let attempt = 0; ; attempt += 1) {
    let identityId = keep(storage, key);
    const kept = !!identityId;
    if (!kept) {
      identityId = (await call(endpoint, 'GetId', { IdentityPoolId: identityPoolId, Logins })).IdentityId;
      keep(storage, key, identityId);
    }
    try {
      const answer = await call(endpoint, 'GetCredentialsForIdentity', { IdentityId: identityId, Logins });
      if (answer.IdentityId && answer.IdentityId !== identityId) keep(storage, key, answer.IdentityId);
      const credentials = answer.Credentials || {};
      return Object.freeze({
        identityId: answer.IdentityId || identityId,
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretKey,
        sessionToken: credentials.SessionToken,
        expiration: new Date(credentials.Expiration * 1000),
      });
    } catch (error) {
      // A kept identity may have been deleted or merged: forget it and ask for one once more.
      const stale = error.name === 'ResourceNotFoundException' || error.name === 'NotAuthorizedException';
      if (!kept || attempt > 0 || !stale) throw error;
      keep(storage, key, null);
    }
  }
}

/**
 * Resolves to `{identityId, accessKeyId, secretAccessKey, sessionToken, expiration}` for the
 * element's current user (or a guest), from the identity pool its `identity-pool-id` names.
 */
export async function getCredentials(element) {
  const settings = settingsOf(element);
  if (!watched.has(element)) {
    watched.add(element);
    for (const type of ['cognate:signed-in', 'cognate:signed-out']) {
      element.addEventListener(type, () => cache.delete(element));
    }
  }
  let session = element.getSession ? element.getSession() : null;
  if (session) {
    await element.getAccessToken(); // refreshes the tokens if they are near expiry
    session = element.getSession();
  }
  const login = session ? loginOf(session.idToken, settings) : null;
  const principal = `${settings.identityPoolId} ${settings.endpoint} ${login ? login.subject : ''}`;
  let entry = cache.get(element);
  const fresh = entry && entry.principal === principal &&
    (!entry.credentials || entry.credentials.expiration.getTime() - Date.now() > MARGIN);
  if (!fresh) {
    entry = { principal, promise: issue(settings, login) };
    cache.set(element, entry);
    const current = entry;
    entry.promise.then(
      (credentials) => { current.credentials = credentials; },
      () => { if (cache.get(element) === current) cache.delete(element); },
    );
  }
  return entry.promise;
}
