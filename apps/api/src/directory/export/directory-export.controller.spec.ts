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
    // The export waits for the client once it listens for 'drain' and 'close' (added in one statement:
    // this resolves, as a microtask, after both are there).
    const waitingForDrain = new Promise<void>((resolve) => response.on('newListener', (event: string) => event === 'close' && resolve()));
    const exporting = new DirectoryExportController(exporter).export({ format: 'json' }, response as unknown as Response);

    await waitingForDrain;
    expect(response.written).toHaveLength(1);
    expect(response.listenerCount('close')).toBeGreaterThan(0);
    response.hangUp();
    await exporting;

    expect(released).toBe(true);
    expect(pagesRead).toBe(1);
    expect(response.ended).toBe(false);
  });
});
