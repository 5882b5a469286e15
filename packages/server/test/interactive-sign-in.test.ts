// The portal's interactive sign-in: authorization code flow with PKCE, a real login form.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startTestServer, WORLD, type TestServer } from './harness.ts';

let t: TestServer;
before(async () => { t = await startTestServer(); });
after(async () => { await t.close(); });

const CLIENT = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

function authorizeUrl(tenant: string, redirectUri: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ client_id: CLIENT, redirect_uri: redirectUri, response_type: 'code', scope: 'openid https://management.azure.com/.default', state: 'xyz<>', code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  return `${t.url}/${tenant}/oauth2/v2.0/authorize?${q}`;
}

async function signIn(tenant: string, redirectUri: string, username: string, password: string) {
  const page = await fetch(authorizeUrl(tenant, redirectUri));
  const html = await page.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
  form.set('username', username);
  form.set('password', password);
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
  return fetch(action, { method: 'POST', body: form, redirect: 'manual' });
}

test('the login page is a real form, with the request carried in escaped hidden fields', async () => {
  const res = await fetch(authorizeUrl(WORLD.soc.tenant, `${t.url}/portal/`));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  const html = await res.text();
  assert.match(html, /Contoso SOC/);
  assert.match(html, /name="state" value="xyz&lt;&gt;"/, 'values are escaped');
  assert.doesNotMatch(html, /xyz<>/);
});

test('sign in, exchange the code with the verifier, and call the API with the token', async () => {
  const redirectUri = `${t.url}/portal/`;
  const res = await signIn(WORLD.soc.tenant, redirectUri, WORLD.users.ana.upn, WORLD.users.ana.password);
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location')!);
  assert.equal(location.origin + location.pathname, redirectUri);
  assert.equal(location.searchParams.get('state'), 'xyz<>');
  const code = location.searchParams.get('code')!;
  const exchange = (v: string) => fetch(`${t.url}/${WORLD.soc.tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: CLIENT, code_verifier: v, scope: 'openid https://management.azure.com/.default' }),
  });
  const wrong = await exchange(randomBytes(32).toString('base64url'));
  assert.equal(wrong.status, 400);
  assert.match(((await wrong.json()) as { error_description: string }).error_description, /AADSTS/);
  // A failed exchange used the code up, as Entra ID does: sign in again for a fresh one.
  const res2 = await signIn(WORLD.soc.tenant, redirectUri, WORLD.users.ana.upn, WORLD.users.ana.password);
  const code2 = new URL(res2.headers.get('location')!).searchParams.get('code')!;
  const ok = await fetch(`${t.url}/${WORLD.soc.tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code2, redirect_uri: redirectUri, client_id: CLIENT, code_verifier: verifier, scope: 'openid https://management.azure.com/.default' }),
  });
  assert.equal(ok.status, 200);
  const tokens = (await ok.json()) as { access_token: string; id_token?: string };
  assert.ok(tokens.id_token, 'openid scope returns an id token');
  const subs = await t.request('GET', '/subscriptions?api-version=2022-12-01', { token: tokens.access_token });
  assert.equal(subs.status, 200);
  assert.equal(subs.body.value.length, 3);
  const reuse = await fetch(`${t.url}/${WORLD.soc.tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code2, redirect_uri: redirectUri, client_id: CLIENT, code_verifier: verifier, scope: 'https://management.azure.com/.default' }),
  });
  assert.equal(reuse.status, 400, 'a code is good for one exchange');
});

test('a wrong password shows the form again with an error and issues no code', async () => {
  const res = await signIn(WORLD.soc.tenant, `${t.url}/portal/`, WORLD.users.ana.upn, 'not-the-password');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /role="alert">Your account or password is incorrect/);
  assert.equal(res.headers.get('location'), null);
});

test('a guest signs in directly to the customer directory with the home password', async () => {
  const res = await signIn(WORLD.fabrikam.tenant, 'http://localhost:53100/callback', WORLD.users.eli.upn, WORLD.users.eli.password);
  assert.equal(res.status, 302);
  assert.ok(new URL(res.headers.get('location')!).searchParams.get('code'));
});

test('a foreign redirect URI is refused on the page itself, never redirected to', async () => {
  const res = await fetch(authorizeUrl(WORLD.soc.tenant, 'https://evil.example/steal'), { redirect: 'manual' });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /AADSTS50011/);
  const noPkce = await fetch(authorizeUrl(WORLD.soc.tenant, `${t.url}/portal/`, { code_challenge_method: 'plain' }), { redirect: 'manual' });
  assert.equal(noPkce.status, 302);
  assert.equal(new URL(noPkce.headers.get('location')!).searchParams.get('error'), 'invalid_request');
});
