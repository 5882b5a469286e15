// Who is signed in decides what the portal shows: the sign-in callback, the sign-in page, or
// the shell. An expired session signs in again as the same user and comes back to the page.
import { Suspense, lazy, useEffect, useState } from 'react';
import { Spinner } from '@fluentui/react-components';
import { activeSession, CALLBACK_PATH, lastSession, startSignIn } from './auth/session.ts';
import { onSessionExpired } from './api/arm-client.ts';
import { usePath } from './routing.tsx';
import { SignInCallback, SignInPage } from './pages/SignInPage.tsx';
import { FilterProvider } from './shell/filter-context.tsx';

// The shell (top bar, filter, menus) is its own chunk: the sign-in page does not wait for it.
const Shell = lazy(() => import('./shell/Shell.tsx').then((m) => ({ default: m.Shell })));

function signInAgain(): void {
  const last = lastSession();
  if (last === undefined) return;
  void startSignIn(last.tenantId, { loginHint: last.user.userName, returnTo: location.pathname + location.search });
}

export function App() {
  const path = usePath();
  const [, setSessionVersion] = useState(0);
  const session = path === CALLBACK_PATH ? undefined : activeSession();
  const expired = session === undefined && path !== CALLBACK_PATH && lastSession() !== undefined;

  useEffect(() => onSessionExpired(signInAgain), []);
  useEffect(() => {
    if (expired) signInAgain();
  }, [expired]);
  useEffect(() => {
    if (session === undefined) return;
    // setTimeout's delay is a 32-bit number of milliseconds; tokens live an hour.
    const timer = setTimeout(signInAgain, Math.min(Math.max(session.expiresAt - Date.now(), 0), 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [session?.accessToken, session?.expiresAt]);

  if (path === CALLBACK_PATH) return <SignInCallback onSignedIn={() => setSessionVersion((v) => v + 1)} />;
  if (session === undefined) return <SignInPage reason={expired ? 'expired' : undefined} />;
  // Keyed by the directory signed in to: a switch starts the shell afresh for that directory.
  return (
    <FilterProvider key={session.tenantId} session={session}>
      <Suspense fallback={<Spinner label="Loading the portal…" style={{ marginTop: '30vh' }} />}>
        <Shell session={session} onSessionChange={() => setSessionVersion((v) => v + 1)} />
      </Suspense>
    </FilterProvider>
  );
}
