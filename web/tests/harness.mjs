// Shared by the browser test and the render benchmark: starts the real `leadline serve` on a
// loopback port with a temp SQLite file, makes a key with `leadline keys create`, and launches
// Debian's Chromium headless through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export async function startServer({ binary, extraArgs = [] }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'leadline-web-'));
  const database = `sqlite:${path.join(dir, 'leadline.db')}`;
  const out = execFileSync(binary, ['keys', 'create', '--database', database, '--org', 'Browser Test'], {
    encoding: 'utf8',
  });
  const key = out.trim().split('\n').pop().trim();
  const child = spawn(
    binary,
    ['serve', '--listen', '127.0.0.1:0', '--database', database, '--web-dir', path.join(repoRoot, 'web', 'dist'), ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30000);
    const onData = (chunk) => {
      log += chunk.toString();
      const m = log.match(/listening on port (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    key,
    log: () => log,
    async api(method, p, body) {
      const res = await fetch(`${base}/v1${p}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${p} -> ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Playwright refuses --user-data-dir in args: a persistent context gets the fresh profile.
export async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'leadline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
