import type { Response } from 'express';
import { EventEmitter } from 'node:events';
import { DirectoryExportController } from './directory-export.controller';
import type { DirectoryExportService } from './directory-export.service';

/** A response whose client stopped reading: every write reports a full buffer, and no 'drain' ever comes. */
class StalledResponse extends EventEmitter {
  destroyed = false;
  written: string[] = [];
  ended = false;
  status() {
    return this;
  }
  setHeader() {
    return this;
  }
  write(chunk: string) {
    this.written.push(chunk);
    return false;
  }
  end() {
    this.ended = true;
  }
  destroy() {
    this.destroyed = true;
  }
  /** The client goes away, as Node reports it. */
  hangUp() {
    this.destroyed = true;
    this.emit('close');
  }
}

describe('DirectoryExportController', () => {
  it('stops reading pages when the client goes away while the export waits for it to drain', async () => {
    let pagesRead = 0;
    let released = false;
    const exporter = {
      async *json() {
        try {
          for (;;) {
            pagesRead++;
            yield `{"page":${pagesRead}}`;
          }
        } finally {
          released = true;
        }
      },
    } as unknown as DirectoryExportService;
    const response = new StalledResponse();
    const exporting = new DirectoryExportController(exporter).export({ format: 'json' }, response as unknown as Response);

    await new Promise((resolve) => setImmediate(resolve));
    expect(response.written).toHaveLength(1);
    response.hangUp();
    await exporting;

    expect(released).toBe(true);
    expect(pagesRead).toBe(1);
    expect(response.ended).toBe(false);
  });
});
