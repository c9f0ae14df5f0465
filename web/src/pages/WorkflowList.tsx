import { useEffect, useState, type FormEvent } from 'react';
import { api, fmtNum, fmtTime, qs, type Page, type Workflow } from '../api';
import { Empty, ErrorBox, Loading, PageTitle, Pager, StatusBadge, useLoad } from '../common';
import { Link, navigate } from '../router';

const STATUSES = ['', 'draft', 'active', 'paused', 'completed', 'cancelled'];

export function WorkflowList() {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => {
    const t = setTimeout(() => {
      setQuery(q.trim());
      setPage(1);
    }, 250);
    return () => clearTimeout(t);
  }, [q]);
  const list = useLoad(
    (signal) => api<Page<Workflow>>(`/workflows${qs({ q: query, status, page, limit: 20 })}`, { signal }),
    [query, status, page],
  );

  return (
    <main className="page">
      <div className="page-head">
        <PageTitle title="Workflows">Workflows</PageTitle>
      </div>
      <CreateWorkflow />
      <div className="filters" role="search">
        <label>
          Search
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Title contains…" />
        </label>
        <label>
          Status
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setPage(1);
            }}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={list.error} title="Could not load workflows" />
      {list.loading && !list.data && <Loading what="Loading workflows" />}
      {list.data && list.data.data.length === 0 && (
        <Empty>
          {query || status ? 'No workflow matches these filters.' : 'No workflows yet. Create the first one above.'}
        </Empty>
      )}
      {list.data && list.data.data.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Workflows</caption>
              <thead>
                <tr>
                  <th scope="col">Title</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Nodes
                  </th>
                  <th scope="col" className="num">
                    Leads
                  </th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((w) => (
                  <tr key={w.id}>
                    <td>
                      <Link to={`/workflows/${w.id}`}>{w.title}</Link>
                      {w.description && <div className="muted small">{w.description}</div>}
                    </td>
                    <td>
                      <StatusBadge status={w.status} />
                    </td>
                    <td className="num">{fmtNum(w.node_count)}</td>
                    <td className="num">{fmtNum(w.enrolled_leads)}</td>
                    <td>{fmtTime(w.updated_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} totalPages={list.data.meta.totalPages} total={list.data.meta.total} onPage={setPage} />
        </>
      )}
    </main>
  );
}

function CreateWorkflow() {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const w = await api<Workflow>('/workflows', {
        method: 'POST',
        body: { title, description: description.trim() ? description : null },
      });
      navigate(`/workflows/${w.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card create-form" onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">New workflow</h2>
      <div className="row">
        <label>
          Title
          <input required maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} name="title" />
        </label>
        <label className="grow">
          Description (optional)
          <input maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} name="description" />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Create workflow
        </button>
      </div>
      <ErrorBox error={error} title="Could not create the workflow" />
    </form>
  );
}
