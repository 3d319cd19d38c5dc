/**
 * Drives Debian's headless Chromium over the Chrome DevTools Protocol, straight over its
 * WebSocket (Node 24 has one built in): open a page, collect console errors and uncaught
 * exceptions, evaluate expressions in the page, take a screenshot. Every wait is bounded and the
 * browser's whole process group is killed afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: the HTML report tests need Debian's Chromium. Install it with: apt-get install -y chromium`);
  }
}

export interface HeadlessPage {
  /** Console errors, failed loads and uncaught exceptions seen so far, as text. */
  readonly consoleErrors: string[];
  evaluate<T>(expression: string): Promise<T>;
  screenshotPng(): Promise<Buffer>;
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  private readonly listeners: Array<(message: CdpMessage) => void> = [];

  constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event: MessageEvent) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`CDP: ${message.error.message}`));
        else waiter?.resolve(message.result ?? {});
      } else {
        for (const listener of this.listeners) listener(message);
      }
    });
    socket.addEventListener('close', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('CDP connection closed'));
      this.pending.clear();
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return withTimeout(
      new Promise((resolve, reject) => this.pending.set(id, { resolve, reject })),
      timeoutMs,
      `CDP ${method} did not answer within ${timeoutMs} ms`,
    );
  }

  onEvent(listener: (message: CdpMessage) => void): void {
    this.listeners.push(listener);
  }

  waitForEvent(method: string, sessionId: string, timeoutMs: number): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve) => this.onEvent((message) => message.method === method && message.sessionId === sessionId && resolve())),
      timeoutMs,
      `no ${method} within ${timeoutMs} ms`,
    );
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function readDevToolsEndpoint(userDataDir: string, browser: ChildProcess, timeoutMs: number): Promise<string> {
  const file = path.join(userDataDir, 'DevToolsActivePort');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (browser.exitCode !== null) throw new Error(`chromium exited with code ${browser.exitCode} before opening DevTools`);
    try {
      const [port, browserPath] = (await readFile(file, 'utf8')).trim().split('\n');
      if (port && browserPath) return `ws://127.0.0.1:${port}${browserPath}`;
    } catch {
      // Not written yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`chromium did not write ${file} within ${timeoutMs} ms`);
}

function describeConsoleCall(params: Record<string, unknown>): string {
  const args = (params['args'] as Array<{ value?: unknown; description?: string }> | undefined) ?? [];
  return `console.${String(params['type'])}: ${args.map((arg) => arg.description ?? String(arg.value)).join(' ')}`;
}

/** Opens `url` in a fresh headless Chromium, hands the page to `use`, and always cleans up. */
export async function withHeadlessPage<T>(url: string, use: (page: HeadlessPage) => Promise<T>, timeoutMs = 30_000): Promise<T> {
  requireChromium();
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'aurigraph-chromium-'));
  const browser = spawn(
    CHROMIUM_PATH,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      `--user-data-dir=${userDataDir}`,
      '--remote-debugging-port=0',
      '--window-size=1400,1000',
      'about:blank',
    ],
    { detached: true, stdio: 'ignore' },
  );
  let socket: WebSocket | undefined;
  try {
    const endpoint = await readDevToolsEndpoint(userDataDir, browser, timeoutMs);
    socket = new WebSocket(endpoint);
    const opened = socket;
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        opened.addEventListener('open', () => resolve(), { once: true });
        opened.addEventListener('error', () => reject(new Error(`cannot connect to ${endpoint}`)), { once: true });
      }),
      timeoutMs,
      `no DevTools connection within ${timeoutMs} ms`,
    );
    const cdp = new CdpConnection(socket);
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const consoleErrors: string[] = [];
    cdp.onEvent((message) => {
      if (message.sessionId !== sessionId || message.params === undefined) return;
      if (message.method === 'Runtime.consoleAPICalled' && ['error', 'assert'].includes(String(message.params['type']))) {
        consoleErrors.push(describeConsoleCall(message.params));
      } else if (message.method === 'Runtime.exceptionThrown') {
        const details = message.params['exceptionDetails'] as { text?: string; exception?: { description?: string } };
        consoleErrors.push(`uncaught: ${details.exception?.description ?? details.text ?? 'exception'}`);
      } else if (message.method === 'Log.entryAdded') {
        const entry = message.params['entry'] as { level: string; text: string; url?: string };
        if (entry.level === 'error') consoleErrors.push(`log: ${entry.text} ${entry.url ?? ''}`.trim());
      }
    });
    for (const domain of ['Runtime.enable', 'Log.enable', 'Page.enable']) await cdp.send(domain, {}, sessionId);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 1000, deviceScaleFactor: 1, mobile: false }, sessionId);
    const loaded = cdp.waitForEvent('Page.loadEventFired', sessionId, timeoutMs);
    const navigation = await cdp.send('Page.navigate', { url }, sessionId);
    if (typeof navigation['errorText'] === 'string') throw new Error(`cannot open ${url}: ${navigation['errorText']}`);
    await loaded;
    return await use({
      consoleErrors,
      async evaluate<R>(expression: string): Promise<R> {
        const reply = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
        const exception = reply['exceptionDetails'] as { text?: string } | undefined;
        if (exception) throw new Error(`page evaluation failed: ${exception.text ?? 'exception'}`);
        return (reply['result'] as { value: R }).value;
      },
      async screenshotPng(): Promise<Buffer> {
        const reply = await cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, sessionId, timeoutMs);
        return Buffer.from(String(reply['data']), 'base64');
      },
    });
  } finally {
    socket?.close();
    if (browser.pid !== undefined && browser.exitCode === null) {
      const exited = new Promise((resolve) => browser.once('exit', resolve));
      try {
        process.kill(-browser.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await withTimeout(exited, 5000, 'chromium did not exit after SIGKILL').catch(() => undefined);
    }
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}
