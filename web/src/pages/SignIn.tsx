import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { ErrorBox } from '../common';

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const k = key.trim();
    if (!k) {
      setError(new ApiError(400, ['Enter an API key.']));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('/workflows?limit=1', { key: k });
      onSignedIn(k);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Leadline</h1>
        <p>
          Paste an API key (<code>key_…:…</code>). The server prints one at its first start;{' '}
          <code>leadline keys create --org NAME</code> makes more. It is kept only for this tab.
        </p>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          autoFocus
          value={key}
          onChange={(e) => setKey(e.target.value)}
        />
        <ErrorBox error={error} title="Could not sign in" />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
