/**
 * The soak's live progress: on a terminal one line rewritten in place every second; otherwise
 * (a log file, CI) a plain line every `plainEveryMs`.
 */
export interface ProgressState {
  readonly elapsedMs: number;
  readonly remainingMs: number;
  readonly ratePerSec: number;
  readonly p99Us: number | null;
  readonly errors: number;
  readonly missing: number;
  readonly rssBytes: number | null;
}

function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

export function formatProgress(state: ProgressState): string {
  const p99 = state.p99Us === null ? '—' : `${(state.p99Us / 1000).toFixed(2)} ms`;
  const rss = state.rssBytes === null ? '' : `, node RSS ${(state.rssBytes / 1048576).toFixed(0)} MiB`;
  return (
    `elapsed ${clock(state.elapsedMs)}, remaining ${clock(state.remainingMs)}, ` +
    `${Math.floor(state.ratePerSec).toLocaleString('en-US')} tx/s, P99 ${p99}, errors ${state.errors}, waiting ${state.missing}${rss}`
  );
}

export class ProgressLine {
  readonly #output: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #plainEveryMs: number;
  #lastPlainMs = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(output: NodeJS.WriteStream, plainEveryMs: number) {
    this.#output = output;
    this.#tty = output.isTTY === true;
    this.#plainEveryMs = plainEveryMs;
  }

  get isTty(): boolean {
    return this.#tty;
  }

  update(state: ProgressState): void {
    const text = formatProgress(state);
    if (this.#tty) {
      this.#output.write(`\r\x1b[K${text}`);
      this.#drawn = true;
    } else if (state.elapsedMs - this.#lastPlainMs >= this.#plainEveryMs) {
      this.#lastPlainMs = state.elapsedMs;
      this.#output.write(`${text}\n`);
    }
  }

  /** A line of its own (a checkpoint, a warning), without breaking the live line. */
  note(text: string): void {
    if (this.#tty && this.#drawn) this.#output.write('\r\x1b[K');
    this.#output.write(`${text}\n`);
    this.#drawn = false;
  }

  finish(): void {
    if (this.#tty && this.#drawn) this.#output.write('\n');
    this.#drawn = false;
  }
}
