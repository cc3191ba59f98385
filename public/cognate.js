// Cognate sign-in widget loader: `<script type="module" src="…/widget/cognate.js">` loads the
// WebAssembly once, registers `<cognate-sign-in>` and exports `mount(element, config)`,
// `signInWithRedirect(element, options)` and `signOutWithRedirect(element, options)` (the hosted
// page with PKCE; that code loads only when used, or when a page is the return of a redirect)
// and `getCredentials(element)`: temporary AWS credentials from the identity pool the element's
// `identity-pool-id` attribute names — the user's role when signed in, else a guest's — as
// `{identityId, accessKeyId, secretAccessKey, sessionToken, expiration}`, refreshed before
// expiry (identity/credentials.js, loaded on first use).
import init, { mount } from './cognate-widget.js';

const redirect = () => import('./oauth/redirect.js');
const returning = (() => {
  try {
    return sessionStorage.getItem('cognate:oauth') && new URLSearchParams(location.search).has('state');
  } catch {
    return false; // storage blocked: no redirect sign-in can be pending
  }
})();
const problem = returning ? await (await redirect()).completeRedirect() : null;

await init({ module_or_path: new URL('./cognate-widget_bg.wasm', import.meta.url) });
// The SRP code a sign-in needs (srp/srp.js) is fetched once someone starts filling in a form.
document.addEventListener('focusin', () => import('./srp/srp.js'), { once: true });

if (problem) {
  document.dispatchEvent(new CustomEvent('cognate:error', { detail: { message: problem } }));
  for (const element of document.querySelectorAll('cognate-sign-in')) {
    const alert = document.createElement('p');
    alert.className = 'cognate cognate-alert';
    alert.setAttribute('role', 'alert');
    alert.textContent = problem;
    element.prepend(alert);
  }
}

export const signInWithRedirect = async (element, options) => (await redirect()).signInWithRedirect(element, options);
export const signOutWithRedirect = async (element, options) => (await redirect()).signOutWithRedirect(element, options);
export const getCredentials = async (element) => (await import('./identity/credentials.js')).getCredentials(element);
export { mount };
