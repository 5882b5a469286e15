// Before any session: the user names their account (or directory) and goes to that
// directory's login page; the callback redeems the code and opens the page they came for.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Field, Input, Spinner, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { completeSignIn, lastSignInName, startSignIn, tenantOf } from '../auth/session.ts';
import { navigate } from '../routing.tsx';
import { ErrorMessage } from '../shell/ErrorMessage.tsx';
import { HOME_PATH } from '../shell/sections.ts';

const useStyles = makeStyles({
  page: { minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', backgroundColor: tokens.colorNeutralBackground3 },
  card: {
    width: '400px', maxWidth: 'calc(100vw - 32px)', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalXXL, backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, boxShadow: tokens.shadow16,
  },
  brand: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
});

export function SignInPage({ reason }: { reason?: 'expired' | undefined }) {
  const styles = useStyles();
  const [name, setName] = useState(lastSignInName() ?? '');
  const [busy, setBusy] = useState(reason === 'expired');
  const [error, setError] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = name.trim();
    if (value === '') {
      setError('Enter your email address, or the domain or ID of your directory.');
      return;
    }
    setBusy(true);
    const returnTo = location.pathname === '/' ? HOME_PATH : location.pathname + location.search;
    void startSignIn(tenantOf(value), { ...(value.includes('@') ? { loginHint: value } : {}), returnTo });
  };

  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={submit} noValidate>
        <Text className={styles.brand} size={500}>Vigil</Text>
        <Title2 as="h1">Sign in</Title2>
        {reason === 'expired'
          ? <Text>Your sign-in has ended. Taking you to your directory to sign in again…</Text>
          : <Text>Sign in with your work account. You are taken to your directory’s sign-in page.</Text>}
        <Field label="Email, or directory domain or ID" validationMessage={error} validationState={error === undefined ? 'none' : 'error'} required>
          <Input type="text" autoComplete="username" value={name} onChange={(_e, d) => { setName(d.value); setError(undefined); }} autoFocus />
        </Field>
        <Button appearance="primary" type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Next'}</Button>
      </form>
    </main>
  );
}

export function SignInCallback({ onSignedIn }: { onSignedIn(): void }) {
  const styles = useStyles();
  const [error, setError] = useState<unknown>();
  const started = useRef(false);
  useEffect(() => {
    // A code can be redeemed once; StrictMode runs effects twice in development.
    if (started.current) return;
    started.current = true;
    completeSignIn(new URL(location.href)).then(
      (returnTo) => {
        onSignedIn();
        navigate(returnTo === '/' || returnTo.startsWith('/signin') ? HOME_PATH : returnTo, { replace: true });
      },
      (e: unknown) => setError(e),
    );
  }, [onSignedIn]);
  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <Text className={styles.brand} size={500}>Vigil</Text>
        <Title2 as="h1">Signing in</Title2>
        {error === undefined
          ? <Spinner label="Finishing sign-in…" />
          : (
            <>
              <ErrorMessage title="Sign-in failed" error={error} />
              <Button appearance="primary" onClick={() => navigate(HOME_PATH, { replace: true })}>Start again</Button>
            </>
          )}
      </div>
    </main>
  );
}
