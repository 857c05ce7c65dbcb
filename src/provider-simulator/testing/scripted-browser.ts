/** The last page a scripted browser visit ended on. */
export interface BrowserVisit {
  status: number;
  url: string;
  text: string;
}

export interface ScriptedBrowserOptions {
  /** The account to log in as on a consent form (default `browser-user`). */
  account?: string;
  /** What to answer on a consent form (default approve). */
  decision?: 'approve' | 'deny';
  /** Fills a device verification form's empty `user_code`. */
  userCode?: string;
}

const maximumSteps = 12;

/**
 * Opens `url` as a person would: follows redirects (to a loopback callback too), and on a
 * consent form (the simulator's) fills the account and decision and submits it once. Servers
 * that approve without a form (oauth2-mock-server) are simply followed.
 */
export async function browse(url: string, options: ScriptedBrowserOptions = {}): Promise<BrowserVisit> {
  let current = new URL(url);
  let request: RequestInit = { method: 'GET', redirect: 'manual' };
  let submitted = false;
  for (let step = 0; step < maximumSteps; step += 1) {
    const response = await fetch(current, request);
    const text = await response.text();
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      current = new URL(location, current);
      request = { method: 'GET', redirect: 'manual' };
      continue;
    }
    const form = submitted ? undefined : parseForm(text);
    if (!form) return { status: response.status, url: current.href, text };
    form.fields.set('account', options.account ?? 'browser-user');
    form.fields.set('decision', options.decision ?? 'approve');
    if (options.userCode !== undefined && !form.fields.get('user_code')) form.fields.set('user_code', options.userCode);
    submitted = true;
    current = new URL(form.action, current);
    request = {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.fields.toString(),
    };
  }
  throw new Error(`The scripted browser gave up after ${maximumSteps} pages at ${current.origin}${current.pathname}`);
}

/** The first POST form of a page: its action and the inputs that carry a value. */
function parseForm(html: string): { action: string; fields: URLSearchParams } | undefined {
  const form = /<form\s+method="post"\s+action="([^"]*)">([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*\bname="([^"]*)"[^>]*\bvalue="([^"]*)"/gi)) {
    fields.set(decodeEntities(input[1] ?? ''), decodeEntities(input[2] ?? ''));
  }
  return { action: decodeEntities(form[1] ?? ''), fields };
}

function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)));
}

/** The `code#state` that Anthropic's code page shows. */
export function pastedCode(visit: BrowserVisit): string {
  const match = /<code id="authorization-code">([^<]*)<\/code>/.exec(visit.text);
  if (!match) throw new Error(`No authorization code on the page (status ${visit.status})`);
  return decodeEntities(match[1] ?? '');
}
