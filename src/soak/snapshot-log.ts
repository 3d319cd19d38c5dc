/**
 * The soak's append-only record: one JSON object per line, each line written and fsynced before
 * the next interval, so a crash of the runner loses at most the interval in progress. Writes go
 * through libuv's thread pool (FileHandle), so the generator's thread never waits on the disk;
 * they are chained, so lines land in order.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class SnapshotLog {
  readonly path: string;
  readonly #file: FileHandle;
  #chain: Promise<void> = Promise.resolve();
  #failure: Error | undefined;

  private constructor(filePath: string, file: FileHandle) {
    this.path = filePath;
    this.#file = file;
  }

  static async open(filePath: string): Promise<SnapshotLog> {
    return new SnapshotLog(filePath, await open(filePath, 'a'));
  }

  /** Appends one record and fsyncs; resolves when it is on disk. */
  append(record: Record<string, unknown>): Promise<void> {
    const line = `${JSON.stringify(record, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`;
    this.#chain = this.#chain.then(async () => {
      if (this.#failure !== undefined) return;
      try {
        await this.#file.appendFile(line, 'utf8');
        await this.#file.sync();
      } catch (error) {
        this.#failure = error instanceof Error ? error : new Error(String(error));
      }
    });
    return this.#chain;
  }

  /** The first write error, if any (the soak reports it rather than dying mid-run). */
  get failure(): Error | undefined {
    return this.#failure;
  }

  async close(): Promise<void> {
    await this.#chain;
    await this.#file.close();
  }
}
