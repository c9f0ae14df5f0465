import { useEffect, useState, type ReactElement } from 'react';
import { getKey, onUnauthorized, setKey } from './api';
import { Link, match, navigate, useLocation } from './router';
import { SignIn } from './pages/SignIn';
import { WorkflowList } from './pages/WorkflowList';
import { WorkflowPage } from './pages/WorkflowPage';
import { LeadTimeline } from './pages/LeadTimeline';
import { CallDetail } from './pages/CallDetail';

export function App() {
  const [key, setKeyState] = useState<string | null>(getKey());
  const [notice, setNotice] = useState<string | null>(null);
  const loc = useLocation();

  useEffect(
    () =>
      onUnauthorized(() => {
        setKey(null);
        setKeyState(null);
        setNotice('Your API key was refused. Sign in again.');
      }),
    [],
  );

  if (!key)
    return (
      <SignIn
        notice={notice}
        onSignedIn={(k) => {
          setKey(k);
          setKeyState(k);
          setNotice(null);
        }}
      />
    );

  let page: ReactElement;
  let m: Record<string, string> | null;
  if ((m = match('/workflows/:id/leads/:leadId', loc.path))) page = <LeadTimeline workflowId={m.id} leadId={m.leadId} />;
  else if ((m = match('/workflows/:id/:tab', loc.path))) page = <WorkflowPage id={m.id} tab={m.tab} />;
  else if ((m = match('/workflows/:id', loc.path))) page = <WorkflowPage id={m.id} tab="graph" />;
  else if ((m = match('/calls/:id', loc.path))) page = <CallDetail id={m.id} />;
  else if (loc.path === '/' || loc.path === '/workflows') page = <WorkflowList />;
  else
    page = (
      <main className="page">
        <h1>Page not found</h1>
        <p>
          <Link to="/">Back to the workflows</Link>
        </p>
      </main>
    );

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Leadline
        </Link>
        <nav aria-label="Main">
          <Link to="/">Workflows</Link>
        </nav>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setKey(null);
            setKeyState(null);
            navigate('/', true);
          }}
        >
          Sign out
        </button>
      </header>
      <div id="main">{page}</div>
    </div>
  );
}
