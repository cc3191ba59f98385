// Sign-in by redirect to the hosted login page (OAuth 2.0 authorization code + PKCE, OpenID
// Connect), loaded on demand by cognate.js. Per attempt and per tab (sessionStorage): a fresh
// 32-byte PKCE verifier, a state and a nonce. On return the state and `iss` are checked before
// any token request; the ID token's RS256 signature is checked against the pool's JWKS with
// WebCrypto, then iss, aud, exp and nonce; the code leaves the address bar; the tokens are stored
// where the widget keeps its session, so it restores them and fires `cognate:signed-in`.
//
// With the element's `refresh-cookie` attribute (Cognate servers only) the refresh token never
// reaches the page: the token request opts in with `X-Cognate-Refresh-Cookie: 1` and the server
// keeps the token in an HttpOnly, SameSite=Strict cookie scoped to /oauth2/. The stored session
// then holds the marker `cognate:cookie:<token endpoint>` instead, and the widget's refresh and
// sign-out calls carrying it are answered by `cookieCall` through /oauth2/token and
// /oauth2/revoke with that cookie.

const PENDING = 'cognate:oauth';
const COOKIE = 'cognate:cookie:';
const COOKIE_HEADER = { 'x-cognate-refresh-cookie': '1' };

const b64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const unb64url = (text) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

function issuerOf(element) {
  const pool = element.getAttribute('user-pool-id');
  const region = element.getAttribute('region');
  const endpoint = element.getAttribute('endpoint') ||
    (region ? `https://cognito-idp.${region}.amazonaws.com` : location.origin);
  if (!pool) throw new Error('signInWithRedirect needs the user-pool-id attribute');
  return `${endpoint.replace(/\/+$/, '')}/${pool}`;
}

async function discover(issuer) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OpenID discovery failed (${response.status})`);
  const document = await response.json();
  if (document.issuer !== issuer) throw new Error('OpenID discovery names another issuer');
  return document;
}

/** Sends the browser to the hosted login page. */
export async function signInWithRedirect(element, options = {}) {
  const issuer = issuerOf(element);
  const oidc = await discover(issuer);
  const clientId = element.getAttribute('client-id');
  const redirectUri = options.redirectUri || location.origin + location.pathname;
  const verifier = random(32);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const pending = {
    clientId, issuer, redirectUri, verifier, state: random(16), nonce: random(16),
    tokenEndpoint: oidc.token_endpoint, jwksUri: oidc.jwks_uri,
    checkIss: !!oidc.authorization_response_iss_parameter_supported,
    storage: element.getAttribute('storage') || 'session',
    refreshCookie: element.hasAttribute('refresh-cookie'),
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri,
    scope: options.scope || 'openid email profile', state: pending.state, nonce: pending.nonce,
    code_challenge: challenge, code_challenge_method: 'S256',
  });
  if (options.lang) query.set('lang', options.lang);
  if (options.prompt) query.set('prompt', options.prompt);
  location.assign(`${oidc.authorization_endpoint}?${query}`);
}

/** Signs out (revoking the tokens) and ends the hosted session through `/logout`. */
export async function signOutWithRedirect(element, options = {}) {
  const issuer = issuerOf(element);
  const oidc = await discover(issuer);
  await element.signOut(options);
  const endpoint = oidc.end_session_endpoint || new URL('/logout', oidc.authorization_endpoint).href;
  const query = new URLSearchParams({
    client_id: element.getAttribute('client-id'),
    logout_uri: options.logoutUri || location.origin + location.pathname,
  });
  location.assign(`${endpoint}?${query}`);
}

async function verifyIdToken(token, pending) {
  const [header, payload, signature] = token.split('.');
  const head = JSON.parse(new TextDecoder().decode(unb64url(header)));
  const claims = JSON.parse(new TextDecoder().decode(unb64url(payload)));
  if (head.alg !== 'RS256') throw new Error('ID token is not RS256');
  const keys = await (await fetch(pending.jwksUri)).json();
  const jwk = keys.keys.find((k) => k.kid === head.kid);
  if (!jwk) throw new Error('ID token signed by an unknown key');
  const key = await crypto.subtle.importKey(
    'jwk', { kty: jwk.kty, n: jwk.n, e: jwk.e, alg: 'RS256', ext: true },
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
  const valid = await crypto.subtle.verify(
    'RSASSA-PKCS1-v1_5', key, unb64url(signature), new TextEncoder().encode(`${header}.${payload}`));
  if (!valid) throw new Error('ID token signature is invalid');
  const now = Date.now() / 1000;
  if (claims.iss !== pending.issuer) throw new Error('ID token from another issuer');
  if (claims.aud !== pending.clientId) throw new Error('ID token for another client');
  if (!(claims.exp > now)) throw new Error('ID token has expired');
  if (claims.nonce !== pending.nonce) throw new Error('ID token nonce does not match');
  return claims;
}

/**
 * Finishes a redirect sign-in if this page is its return: resolves to `null` when there is
 * nothing to do or it succeeded, or to the message of what went wrong.
 */
export async function completeRedirect() {
  const params = new URLSearchParams(location.search);
  const text = sessionStorage.getItem(PENDING);
  if (!text || !params.has('state')) return null;
  sessionStorage.removeItem(PENDING); // single use, whatever happens next
  const pending = JSON.parse(text);
  const clean = new URL(location.href);
  for (const name of ['code', 'state', 'iss', 'error', 'error_description']) clean.searchParams.delete(name);
  history.replaceState(history.state, '', clean.href);
  if (params.get('state') !== pending.state) return 'The sign-in response did not match this sign-in attempt.';
  if ((pending.checkIss || params.has('iss')) && params.get('iss') !== pending.issuer) {
    return 'The sign-in response came from an unexpected issuer.';
  }
  if (params.get('error')) return params.get('error_description') || params.get('error');
  try {
    const response = await fetch(pending.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(pending.refreshCookie ? COOKIE_HEADER : {}) },
      credentials: pending.refreshCookie ? 'include' : 'same-origin',
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: params.get('code') || '', redirect_uri: pending.redirectUri,
        client_id: pending.clientId, code_verifier: pending.verifier,
      }),
    });
    const tokens = await response.json();
    if (!response.ok) return tokens.error_description || tokens.error || 'The sign-in could not be completed.';
    const claims = await verifyIdToken(tokens.id_token, pending);
    const now = Date.now();
    const session = {
      username: claims['cognito:username'], idToken: tokens.id_token, accessToken: tokens.access_token,
      expiresAt: now + tokens.expires_in * 1000, issuedAt: now,
      refreshToken: pending.refreshCookie ? COOKIE + pending.tokenEndpoint : tokens.refresh_token,
    };
    const storage = pending.storage === 'local' ? localStorage : sessionStorage;
    storage.setItem(`cognate:${pending.clientId}`, JSON.stringify(session));
    return null;
  } catch (error) {
    return error.message || String(error);
  }
}

/**
 * Answers a widget call whose refresh token is the cookie marker, as Cognito would answer it:
 * `InitiateAuth` (REFRESH_TOKEN_AUTH) through the token endpoint's refresh grant, `RevokeToken`
 * through /oauth2/revoke, both with the HttpOnly cookie. Resolves to [status, body, error type].
 */
export async function cookieCall(target, body) {
  const request = JSON.parse(body);
  const marker = request.Token || request.AuthParameters?.REFRESH_TOKEN || '';
  const tokenEndpoint = marker.slice(COOKIE.length);
  const revoke = target.endsWith('.RevokeToken');
  const form = new URLSearchParams({ client_id: request.ClientId });
  if (!revoke) form.set('grant_type', 'refresh_token');
  const response = await fetch(revoke ? tokenEndpoint.replace(/\/token$/, '/revoke') : tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...COOKIE_HEADER },
    credentials: 'include',
    body: form,
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const name = answer.error === 'invalid_grant' ? 'NotAuthorizedException' : 'InvalidParameterException';
    return [response.status, JSON.stringify({ __type: name, message: answer.error_description || answer.error || '' }), name];
  }
  const result = { AccessToken: answer.access_token, IdToken: answer.id_token, ExpiresIn: answer.expires_in, TokenType: 'Bearer' };
  return [200, revoke ? '{}' : JSON.stringify({ AuthenticationResult: result }), null];
}
