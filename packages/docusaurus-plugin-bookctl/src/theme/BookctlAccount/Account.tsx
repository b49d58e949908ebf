/** The account item itself (its own chunk, with Better Auth's React client) and the sign-in dialog. */
import React, {type FormEvent, type ReactNode, useEffect, useRef, useState} from 'react';
import {translate} from '@docusaurus/Translate';
import {accountClient, signIn, signOut, signUp} from '../../client/account';
import styles from './styles.module.css';

type Props = {serviceUrl: string; mobile: boolean};

export default function Account({serviceUrl, mobile}: Props): ReactNode {
  const {data, isPending} = accountClient(serviceUrl).useSession();
  const [dialogOpen, setDialogOpen] = useState(false);
  const itemClass = mobile ? 'menu__link' : `navbar__item ${styles.account}`;
  if (isPending) return <span className={itemClass} data-bookctl="account" data-state="loading" />;
  if (data?.user) {
    return (
      <span className={itemClass} data-bookctl="account" data-state="signed-in">
        <span className={styles.name} data-bookctl="account-name" title={data.user.email}>
          {data.user.name}
        </span>
        <button type="button" className={`button button--link ${styles.signOut}`} onClick={() => void signOut(serviceUrl)} data-bookctl="sign-out">
          {translate({id: 'bookctl.account.signOut', message: 'Sign out'})}
        </button>
      </span>
    );
  }
  return (
    <span className={itemClass} data-bookctl="account" data-state="signed-out">
      <button type="button" className="button button--secondary button--sm" onClick={() => setDialogOpen(true)} data-bookctl="sign-in">
        {translate({id: 'bookctl.account.signIn', message: 'Sign in'})}
      </button>
      {dialogOpen && <SignInDialog serviceUrl={serviceUrl} onClose={() => setDialogOpen(false)} />}
    </span>
  );
}

function SignInDialog({serviceUrl, onClose}: {serviceUrl: string; onClose: () => void}): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      if (mode === 'sign-up') await signUp(serviceUrl, String(form.get('name') ?? '').trim(), email, password);
      else await signIn(serviceUrl, email, password);
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  const title =
    mode === 'sign-in'
      ? translate({id: 'bookctl.account.signInTitle', message: 'Sign in to keep your conversations'})
      : translate({id: 'bookctl.account.signUpTitle', message: 'Create an account'});
  return (
    <dialog ref={dialog} className={styles.dialog} onCancel={onClose} aria-label={title} data-bookctl="account-dialog" data-mode={mode}>
      <form onSubmit={(event) => void submit(event)} className={styles.form}>
        <h3>{title}</h3>
        {mode === 'sign-up' && (
          <label>
            {translate({id: 'bookctl.account.name', message: 'Name'})}
            <input name="name" autoComplete="name" required maxLength={100} />
          </label>
        )}
        <label>
          {translate({id: 'bookctl.account.email', message: 'Email'})}
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          {translate({id: 'bookctl.account.password', message: 'Password'})}
          <input
            name="password"
            type="password"
            autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
            required
            minLength={mode === 'sign-up' ? 8 : undefined}
          />
        </label>
        {error && (
          <p className={styles.error} role="alert" data-bookctl="account-error">
            {error}
          </p>
        )}
        <div className={styles.actions}>
          <button type="submit" className="button button--primary" disabled={busy} data-bookctl="account-submit">
            {mode === 'sign-in'
              ? translate({id: 'bookctl.account.signIn', message: 'Sign in'})
              : translate({id: 'bookctl.account.signUp', message: 'Create account'})}
          </button>
          <button type="button" className="button button--link" onClick={onClose} data-bookctl="account-cancel">
            {translate({id: 'bookctl.account.cancel', message: 'Cancel'})}
          </button>
        </div>
        <p className={styles.switch}>
          <button
            type="button"
            className="button button--link"
            onClick={() => {
              setMode(mode === 'sign-in' ? 'sign-up' : 'sign-in');
              setError(null);
            }}
            data-bookctl="account-switch"
          >
            {mode === 'sign-in'
              ? translate({id: 'bookctl.account.toSignUp', message: 'No account yet? Create one'})
              : translate({id: 'bookctl.account.toSignIn', message: 'Have an account? Sign in'})}
          </button>
        </p>
      </form>
    </dialog>
  );
}
