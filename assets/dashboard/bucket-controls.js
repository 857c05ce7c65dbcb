// A bucket's own buttons in the Buckets table: pause or resume it, reset its rest, log it out.
// The same admin routes as `switchyard bucket pause|resume|reset` and `switchyard auth P logout B`.
import { element, sendAdmin } from './common.js';
import { button, status } from './forms.js';

/** The table cell of a bucket's buttons; `changed()` redraws the view once the server answered. */
export function bucketButtons(bucket, changed) {
  const cell = element('td', 'bucket-buttons');
  const path = `/buckets/${encodeURIComponent(bucket.provider)}/${encodeURIComponent(bucket.bucket)}`;
  const act = async (method, target, body, said) => {
    status.textContent = `${said} ${bucket.key}\u2026`;
    const result = await sendAdmin(method, target, body);
    status.textContent = result.ok ? result.answer.message : `Refused: ${result.message}`;
    await changed();
  };
  const toggle = bucket.paused ? button('Resume', `Resume ${bucket.key}`) : button('Pause', `Pause ${bucket.key}`);
  toggle.addEventListener('click', () =>
    act('POST', `${path}/${bucket.paused ? 'resume' : 'pause'}`, {}, bucket.paused ? 'Resuming' : 'Pausing'),
  );
  const reset = button('Reset rest', `Reset the rest of ${bucket.key}`);
  reset.disabled = bucket.state === 'ready' && bucket.availableAt === null;
  reset.addEventListener('click', () => act('POST', `${path}/reset`, {}, 'Resetting'));
  const logout = button('Log out', `Log out ${bucket.key}`);
  logout.addEventListener('click', () => {
    // The only button here that cannot be undone from the page: a new login needs the provider.
    if (!window.confirm(logoutQuestion(bucket.key))) return;
    act(
      'DELETE',
      `/auth/${encodeURIComponent(bucket.provider)}/revoke?bucket=${encodeURIComponent(bucket.bucket)}`,
      undefined,
      'Logging out',
    );
  });
  cell.append(toggle, reset, logout);
  return cell;
}

/** What "Log out" asks before it removes a bucket's stored tokens. */
export function logoutQuestion(key) {
  return `Log out ${key}? Its stored tokens are removed; it takes requests again only after a new login.`;
}

/**
 * Redraws `container` with `draw` and gives the keyboard back to the control that had it (found
 * again by its accessible name), so a poll does not throw a keyboard user out of the table.
 */
export function keepFocus(container, draw) {
  const active = document.activeElement;
  const label = container.contains(active) ? active.getAttribute('aria-label') : null;
  draw();
  if (label === null) return;
  const again = container.querySelector(`[aria-label="${CSS.escape(label)}"]`);
  if (again && !again.disabled) again.focus();
}
