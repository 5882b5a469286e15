// The signed-in user, the directory they are signed in to, switching between directories
// signed in to in this tab, signing in directly to another directory, and signing out.
import { useState } from 'react';
import {
  Avatar, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input,
  Menu, MenuDivider, MenuGroup, MenuGroupHeader, MenuItem, MenuList, MenuPopover, MenuTrigger, Radio, RadioGroup, Text,
  makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowSwapRegular, BuildingMultipleRegular, SignOutRegular } from '@fluentui/react-icons';
import { allSessions, signOut, startSignIn, switchTo, type Session } from '../auth/session.ts';
import { navigate } from '../routing.tsx';
import { useFilter } from './filter-context.tsx';

const useStyles = makeStyles({
  trigger: { color: tokens.colorNeutralForegroundOnBrand, ':hover': { color: tokens.colorNeutralForegroundOnBrand } },
  who: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end', lineHeight: tokens.lineHeightBase200 },
  directory: { fontSize: tokens.fontSizeBase100, textTransform: 'uppercase' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export function AccountMenu({ session, onSessionChange }: { session: Session; onSessionChange(): void }) {
  const styles = useStyles();
  const [signInOpen, setSignInOpen] = useState(false);
  const current = session.directoryName;
  const others = allSessions().filter((s) => s.tenantId !== session.tenantId && s.expiresAt > Date.now());

  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button appearance="transparent" className={styles.trigger} title={`${session.user.name}, signed in to ${current}`}>
            <span className={styles.who}>
              <span>{session.user.userName}</span>
              <span className={styles.directory}>{current}</span>
            </span>
            <Avatar name={session.user.name} size={28} color="colorful" aria-hidden style={{ marginLeft: 8 }} />
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuGroup>
              <MenuGroupHeader>{session.user.name} · {current}</MenuGroupHeader>
              {others.map((s) => (
                <MenuItem key={s.tenantId} icon={<ArrowSwapRegular />} onClick={() => { switchTo(s.tenantId); onSessionChange(); }}>
                  Switch to {s.directoryName}
                </MenuItem>
              ))}
              <MenuItem icon={<BuildingMultipleRegular />} onClick={() => setSignInOpen(true)}>Sign in to another directory…</MenuItem>
            </MenuGroup>
            <MenuDivider />
            <MenuItem icon={<SignOutRegular />} onClick={() => { signOut(); navigate('/workspaces', { replace: true }); onSessionChange(); }}>Sign out</MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      <DirectSignInDialog open={signInOpen} onClose={() => setSignInOpen(false)} session={session} />
    </>
  );
}

/**
 * Signing in directly to another directory, where the user has an account (a guest account,
 * say): what a delegation does not allow, such as deploying a connector, needs it.
 */
function DirectSignInDialog({ open, onClose, session }: { open: boolean; onClose(): void; session: Session }) {
  const styles = useStyles();
  const { state } = useFilter();
  const candidates = state.status === 'ready' ? state.filter.available.directories.filter((d) => d.id !== session.tenantId) : [];
  const [choice, setChoice] = useState<string>('');
  const [other, setOther] = useState('');
  const [error, setError] = useState<string>();
  const tenant = choice === 'other' ? other.trim() : choice;

  const submit = () => {
    if (tenant === '') {
      setError(choice === 'other' ? 'Enter the domain or ID of the directory.' : 'Choose a directory.');
      return;
    }
    void startSignIn(tenant, { loginHint: session.user.userName, returnTo: location.pathname + location.search });
  };

  return (
    <Dialog open={open} onOpenChange={(_e, d) => { if (!d.open) onClose(); }}>
      <DialogSurface>
        <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
          <DialogBody>
            <DialogTitle>Sign in to another directory</DialogTitle>
            <DialogContent className={styles.form}>
              <Text>
                You are taken to that directory’s sign-in page and work there with the account you have in it (as a guest, for
                example). Deploying data connectors in a customer’s workspace needs this: a delegation does not allow it.
              </Text>
              <Field label="Directory" validationMessage={error} validationState={error === undefined ? 'none' : 'error'}>
                <RadioGroup value={choice} onChange={(_e, d) => { setChoice(d.value); setError(undefined); }}>
                  {candidates.map((d) => <Radio key={d.id} value={d.id} label={`${d.displayName} (${d.defaultDomain})`} />)}
                  <Radio value="other" label="Another directory" />
                </RadioGroup>
              </Field>
              {choice === 'other' ? (
                <Field label="Directory domain or ID">
                  <Input value={other} onChange={(_e, d) => { setOther(d.value); setError(undefined); }} />
                </Field>
              ) : null}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit">Sign in</Button>
              <Button onClick={onClose}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
