import { useRef, useState, type DragEvent } from 'react';
import { api, ApiError, fmtNum, type EnrolResult, type Workflow } from '../api';
import { ErrorBox } from '../common';
import { Link } from '../router';

export function LeadUpload({ workflow, onDone }: { workflow: Workflow; onDone: () => Promise<void> }) {
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<EnrolResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);
  const closed = workflow.status === 'completed' || workflow.status === 'cancelled';

  function pick(f: File | undefined | null) {
    setResult(null);
    setError(null);
    if (!f) return;
    if (!/\.(csv|xlsx)$/i.test(f.name)) {
      setFile(null);
      setError(new ApiError(415, [`${f.name} is not a .csv or .xlsx file.`]));
      return;
    }
    setFile(f);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    pick(e.dataTransfer.files?.[0]);
  }

  async function upload() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      const r = await api<EnrolResult>(`/workflows/${workflow.id}/leads${skipInvalid ? '?skip_invalid=true' : ''}`, {
        method: 'POST',
        form,
      });
      setResult(r);
      setFile(null);
      if (input.current) input.current.value = '';
      await onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (closed) return <p className="muted">This workflow is {workflow.status}; no more leads can be enrolled.</p>;
  return (
    <section aria-labelledby="upload-title" className="upload">
      <h2 id="upload-title">Upload leads</h2>
      <p className="muted small">
        A CSV or XLSX file whose header row has a <code>phone_number</code> column; every other column becomes a variable.
        National numbers use the workflow’s default country. By default a file with any invalid row is refused whole.
      </p>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>Drop a .csv or .xlsx file here, or</p>
        <label className="file-label">
          Choose a file
          <input
            ref={input}
            type="file"
            name="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => pick(e.target.files?.[0])}
          />
        </label>
        {file && (
          <p className="small">
            Selected: <strong>{file.name}</strong> ({fmtNum(Math.ceil(file.size / 1024))} KB)
          </p>
        )}
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
        Enrol the valid rows and skip the invalid ones
      </label>
      <div className="row">
        <button type="button" className="primary" disabled={!file || busy} onClick={upload}>
          {busy ? 'Uploading…' : 'Upload and enrol'}
        </button>
      </div>
      <ErrorBox error={error} title="The file was refused; nothing was enrolled" />
      {result && (
        <div className="ok-box" role="status" data-testid="upload-result">
          <strong>
            {fmtNum(result.leads_enrolled)} lead(s) enrolled, {fmtNum(result.leads_skipped)} skipped.
          </strong>{' '}
          <Link to={`/workflows/${workflow.id}/leads`}>See the leads</Link>
          {result.skipped?.length > 0 && (
            <table className="table small">
              <caption>Skipped rows</caption>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Phone number</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {result.skipped.slice(0, 200).map((s, i) => (
                  <tr key={i}>
                    <td>{s.row}</td>
                    <td>{s.phone_number}</td>
                    <td>{s.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
