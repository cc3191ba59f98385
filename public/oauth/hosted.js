// The hosted login page's script (the page's CSP allows no inline script). It loads the widget
// and, once the user has signed in, posts the access token with the page's CSRF token to
// /login, which ends the widget's own session and redirects (303) to the app with a code.
import '../cognate.js';

document.addEventListener('cognate:signed-in', (event) => {
  const form = document.getElementById('cognate-handover');
  if (!form || !event.detail) return;
  form.elements.access_token.value = event.detail.accessToken;
  form.submit();
});
