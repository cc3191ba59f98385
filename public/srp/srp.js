// SRP sign-in (USER_SRP_AUTH) as Amazon Cognito runs it, so the password never leaves the browser,
// and the remembered-device proof (DEVICE_SRP_AUTH) that lets a remembered device skip MFA.
// Loaded by the widget on its first sign-in. The numbers follow amazon-cognito-identity-js's
// AuthenticationHelper: N is the 3072-bit prime of RFC 3526 with g = 2, H is SHA-256, and
// k = H(pad(N) | pad(g)), x = H(pad(salt) | H(poolName + user + ":" + password)),
// u = H(pad(A) | pad(B)), S = (B - k·g^x)^(a + u·x) mod N, the password key is
// HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key") cut to 16 bytes, and
// the claim is HMAC-SHA256(key, poolName + user + secretBlock + timestamp). `pad` is the
// two's-complement big-endian form (a leading 00 when the top bit is set). For a device the
// device group key stands in for the pool name and the device key for the user.
const N = BigInt('0x' +
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF');
const G = 2n;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const utf8 = (text) => new TextEncoder().encode(text);
const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (hex) => Uint8Array.from(hex.match(/../g) || [], (pair) => parseInt(pair, 16));
const toInt = (bytes) => BigInt('0x0' + toHex(bytes));
export const base64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unbase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const random = (length) => crypto.getRandomValues(new Uint8Array(length));
const mod = (value) => ((value % N) + N) % N;

/** A number's bytes as Cognito hashes them: big-endian, with a leading zero byte if the top bit is set. */
export function pad(number) {
  let hex = number.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return fromHex(/^[89a-f]/.test(hex) ? '00' + hex : hex);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

const sha256 = async (...parts) => new Uint8Array(await crypto.subtle.digest('SHA-256', concat(parts)));

async function hmac(key, ...parts) {
  const secret = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', secret, concat(parts)));
}

export function modPow(base, exponent) {
  let result = 1n;
  base = mod(base);
  for (; exponent > 0n; exponent >>= 1n) {
    if (exponent & 1n) result = (result * base) % N;
    base = (base * base) % N;
  }
  return result;
}

/** x for a password: H(pad(salt) | H(poolName + user + ":" + password)), `salt` given as bytes. */
export async function privateX(poolName, user, password, salt) {
  return toInt(await sha256(salt, await sha256(utf8(`${poolName}${user}:${password}`))));
}

/** Cognito's TIMESTAMP: `Tue Nov 3 04:51:00 UTC 2026` (the day of the month unpadded). */
export function timestamp(date = new Date()) {
  const two = (n) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/** A fresh ephemeral key pair: a (256 random bits) and A = g^a mod N. */
function ephemeral() {
  for (;;) {
    const a = toInt(random(32));
    const publicA = modPow(G, a);
    if (publicA !== 0n) return { a, publicA };
  }
}

/** The PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER answer for `challenge` (its parameters). */
export async function claim({ a, publicA }, poolName, user, password, challenge) {
  const publicB = BigInt('0x' + challenge.SRP_B);
  if (mod(publicB) === 0n) throw new Error('SRP_B is not valid');
  const u = toInt(await sha256(pad(publicA), pad(publicB)));
  if (u === 0n) throw new Error('SRP u is zero');
  const x = await privateX(poolName, user, password, pad(BigInt('0x0' + challenge.SALT)));
  const k = toInt(await sha256(pad(N), pad(G)));
  const secret = modPow(publicB - k * modPow(G, x), a + u * x);
  const prk = await hmac(pad(u), pad(secret));
  const key = (await hmac(prk, utf8('Caldera Derived Key'), Uint8Array.of(1))).slice(0, 16);
  const when = timestamp();
  const signature = await hmac(key, utf8(poolName), utf8(user), unbase64(challenge.SECRET_BLOCK), utf8(when));
  return {
    PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
    PASSWORD_CLAIM_SIGNATURE: base64(signature),
    TIMESTAMP: when,
  };
}

/** A device's verifier for ConfirmDevice: a random device password, its salt and g^x. */
export async function deviceVerifier(groupKey, deviceKey) {
  const password = base64(random(40));
  const salt = pad(toInt(random(16)));
  const verifier = modPow(G, await privateX(groupKey, deviceKey, password, salt));
  return { password, config: { PasswordVerifier: base64(pad(verifier)), Salt: base64(salt) } };
}

/** One user-pool API call: [status, body text, x-amzn-errortype] and the parsed body. */
export async function call(endpoint, operation, body) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json = {};
  try { json = JSON.parse(text || '{}'); } catch { /* not JSON: the widget reports the status */ }
  return { ok: response.ok, json, answer: [response.status, text, response.headers.get('x-amzn-errortype')] };
}

/** One call that must succeed: the parsed answer, or an Error named after Cognito's exception. */
export async function request(endpoint, operation, body) {
  const { ok, json } = await call(endpoint, operation, body);
  if (!ok) throw Object.assign(new Error(json.message || operation), { name: json.__type || 'Error' });
  return json;
}

/** Where a remembered device's key, group key and password are kept (per client and user). */
const deviceSlot = (clientId, username) => `cognate:device:${clientId}:${username}`;

/** This browser's device of `username`, if it has one. */
export function localDevice(clientId, username) {
  try {
    const device = JSON.parse(localStorage.getItem(deviceSlot(clientId, username)) || 'null');
    return device && device.key && device.group && device.password ? device : null;
  } catch {
    return null;
  }
}

/** Keeps (or, with null, forgets) this browser's device of `username`. */
export function keepDevice(clientId, username, device) {
  try {
    if (device) localStorage.setItem(deviceSlot(clientId, username), JSON.stringify(device));
    else localStorage.removeItem(deviceSlot(clientId, username));
  } catch { /* storage blocked: the device is simply not remembered */ }
}

/**
 * Signs in. With a pool id: USER_SRP_AUTH, then the device proof when the server asks for it;
 * without one (SRP needs the pool's name): USER_PASSWORD_AUTH. Answers the last response as
 * [status, body, error type], for the widget to read as it reads any InitiateAuth answer.
 */
export async function signIn({ endpoint, clientId, poolId, username, password }, withDevice = true) {
  if (!poolId) {
    const parameters = { USERNAME: username, PASSWORD: password };
    return (await call(endpoint, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: parameters })).answer;
  }
  const poolName = poolId.split('_')[1] || poolId;
  const keys = ephemeral();
  const AuthParameters = { USERNAME: username, SRP_A: keys.publicA.toString(16) };
  const first = await call(endpoint, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters });
  if (!first.ok || first.json.ChallengeName !== 'PASSWORD_VERIFIER') return first.answer;
  const parameters = first.json.ChallengeParameters || {};
  const user = parameters.USER_ID_FOR_SRP || parameters.USERNAME || username;
  const device = withDevice ? localDevice(clientId, user) : null;
  const respond = (name, session, responses) => call(endpoint, 'RespondToAuthChallenge', {
    ClientId: clientId, ChallengeName: name, Session: session, ChallengeResponses: { USERNAME: user, ...responses },
  });
  const proof = await claim(keys, poolName, user, password, parameters);
  const verified = await respond('PASSWORD_VERIFIER', first.json.Session,
    device ? { ...proof, DEVICE_KEY: device.key } : proof);
  if (!verified.ok || verified.json.ChallengeName !== 'DEVICE_SRP_AUTH' || !device) return verified.answer;
  const deviceKeys = ephemeral();
  const asked = await respond('DEVICE_SRP_AUTH', verified.json.Session,
    { DEVICE_KEY: device.key, SRP_A: deviceKeys.publicA.toString(16) });
  let done = asked;
  if (asked.ok && asked.json.ChallengeName === 'DEVICE_PASSWORD_VERIFIER') {
    const deviceProof = await claim(deviceKeys, device.group, device.key, device.password, asked.json.ChallengeParameters || {});
    done = await respond('DEVICE_PASSWORD_VERIFIER', asked.json.Session, { ...deviceProof, DEVICE_KEY: device.key });
  }
  if (done.ok) return done.answer;
  // The server no longer knows this device (forgotten elsewhere): drop it and sign in without it.
  keepDevice(clientId, user, null);
  return signIn({ endpoint, clientId, poolId, username, password }, false);
}
