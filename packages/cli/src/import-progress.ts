// Progress of `vigil import` on stderr, file by file.
import type { FileSummary } from './import-summary.ts';

export interface FileProgress {
  start(rows: number): void;
  advance(n: number): void;
}

/** A progress bar on a terminal; one line per file otherwise (logs, CI). */
export class Progress {
  private drawn = false;
  private current = { index: 0, name: '', rows: 0, done: 0 };

  constructor(private readonly files: number, private readonly tty: boolean) {}

  forFile(index: number, name: string): FileProgress {
    this.current = { index, name, rows: 0, done: 0 };
    this.draw();
    return {
      start: (rows) => {
        this.current.rows = rows;
        this.draw();
      },
      advance: (n) => {
        this.current.done += n;
        this.draw();
      },
    };
  }

  fileDone(s: FileSummary): void {
    if (this.tty) return this.draw();
    const where = `[${this.current.index + 1}/${this.files}] ${s.file}`;
    const what = s.loaded > 0
      ? `${s.loaded} row(s) loaded into ${s.table}${s.rejected > 0 ? `, ${s.rejected} rejected` : ''}${s.refused !== undefined ? `, ${s.notSent} refused by the server` : ''}`
      : s.refused !== undefined ? `refused by the server: ${s.refused}` : `not loaded: ${s.problem ?? `${s.rejected} row(s) rejected`}`;
    process.stderr.write(`${where}: ${what}\n`);
  }

  clear(): void {
    if (this.tty && this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.tty) return;
    const width = 24;
    const { index, name, rows, done } = this.current;
    const share = rows === 0 ? 0 : done / rows;
    const filled = Math.round(share * width);
    const label = name.length > 40 ? `…${name.slice(-39)}` : name;
    process.stderr.write(`\r\x1b[K[${index + 1}/${this.files}] [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${rows} rows  ${label}`);
    this.drawn = true;
  }
}
