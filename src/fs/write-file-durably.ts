import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `text` to `file` so that a crash leaves either the old file or the whole new one:
 * write a temporary file, fsync it, rename it over the target, fsync the folder.
 */
export function writeFileDurably(file: string, text: string, mode = 0o600): void {
  const folder = path.dirname(file);
  fs.mkdirSync(folder, { recursive: true });
  const temporary = `${file}.tmp`;
  const descriptor = fs.openSync(temporary, 'w', mode);
  try {
    fs.writeFileSync(descriptor, text);
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
  fs.renameSync(temporary, file);
  const folderDescriptor = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(folderDescriptor);
  } finally {
    fs.closeSync(folderDescriptor);
  }
}
