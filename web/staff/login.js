// Staff sign-in page: posts the credentials, then goes to the page asked for (or the one the role uses).
import { homeFor, safeNext } from './staff.js';

const form = document.getElementById('login');
const error = document.getElementById('error');
const submit = document.getElementById('submit');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const email = form.email.value.trim();
  const password = form.password.value;
  if (!email || !password) {
    error.textContent = 'Enter your email and password.';
    error.hidden = false;
    return;
  }
  submit.disabled = true;
  submit.textContent = 'Signing in…';
  try {
    const res = await fetch('/staff/v1/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }), credentials: 'same-origin',
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.detail || `sign-in failed (${res.status})`);
    sessionStorage.setItem('realperson.csrf', body.csrfToken);
    location.assign(safeNext(new URLSearchParams(location.search).get('next')) ?? homeFor(body.role));
  } catch (err) {
    error.textContent = err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.';
    error.hidden = false;
    form.password.value = '';
    form.password.focus();
  } finally {
    submit.disabled = false;
    submit.textContent = 'Sign in';
  }
});
