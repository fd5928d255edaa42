// A small browser-like HTTP client for tests: keeps cookies, reads the CSRF token from forms, signs in.
export class Client {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: RequestInit = {}): Promise<{ status: number; body: string; headers: Headers; location: string | null }> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader);
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, body: await res.text(), headers: res.headers, location: res.headers.get('location') };
  }

  get(path: string, accept = 'text/html') {
    return this.request(path, { headers: { accept } });
  }

  /** GETs formPath, takes its CSRF token and POSTs the form fields to action. */
  async submit(formPath: string, action: string, fields: Record<string, string>) {
    const page = await this.get(formPath);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${formPath} (status ${page.status})`);
    return this.post(action, { _csrf: token, ...fields });
  }

  post(path: string, fields: Record<string, string>) {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async signIn(email: string, password: string) {
    const res = await this.submit('/sign-in', '/sign-in', { email, password });
    if (res.status !== 303) throw new Error(`sign-in failed (${res.status}): ${/<div class="error-summary"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? ''}`);
    return res;
  }
}
