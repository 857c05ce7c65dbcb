import type { ServerResponse } from 'node:http';

/** Escapes text for HTML bodies and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Sends a small HTML page, the kind a browser (or a scripted one) reads. */
export function sendHtml(response: ServerResponse, status: number, title: string, bodyHtml: string): void {
  if (response.destroyed || response.headersSent) return;
  const heading = escapeHtml(title);
  const text =
    `<!doctype html><html><head><meta charset="utf-8"><title>${heading}</title></head>` +
    `<body><h1>${heading}</h1>${bodyHtml}</body></html>`;
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** A consent form: hidden fields, an account name to log in as, Approve and Deny. */
export function decisionForm(action: string, hidden: Record<string, string>): string {
  const inputs = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return (
    `<form method="post" ` +
    `action="${escapeHtml(action)}">${inputs}<label>Account <input ` +
    `name="account" value=""></label><button name="decision" ` +
    `value="approve">Approve</button><button name="decision" ` +
    `value="deny">Deny</button></form>`
  );
}

/** Sends a 302 to `location`. */
export function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location, 'content-length': 0, 'cache-control': 'no-store' });
  response.end();
}
