import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createTestApp } from './support/test-app';
import { waitFor } from './support/wait';

/**
 * Closing the app (what SIGTERM does in main.ts) stops new connections but lets a request already
 * in flight finish, with its database still there.
 */
describe('Graceful shutdown', () => {
  it('drains an in-flight request before the database pool closes', async () => {
    const { app } = await createTestApp();
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as Server;
    const { port } = server.address() as AddressInfo;

    // A sign-in whose body arrives slowly: the request is in flight when shutdown starts.
    const body = JSON.stringify({ email: 'nobody.draining@example.org', password: 'any password at all' });
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    const ended = new Promise<void>((resolve) => socket.on('end', () => resolve()));
    // The server has parsed the headers: the request is in flight, its body still to come.
    const inFlight = once(server, 'request');
    socket.write(
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await inFlight;

    const closing = app.close();
    await waitFor(() => !server.listening, 'the listener is closed');
    const refused = await new Promise<boolean>((resolve) => {
      get({ port, host: '127.0.0.1', path: '/health/live' }, () => resolve(false)).on('error', () => resolve(true));
    });
    expect(refused).toBe(true);

    socket.write(body.slice(10));
    await ended;
    await closing;
    const response = Buffer.concat(received).toString();
    // 401 INVALID_CREDENTIALS means the account lookup ran: a closed pool would have given a 503.
    expect(response).toMatch(/^HTTP\/1\.1 401/);
    expect(response).toContain('"code":"INVALID_CREDENTIALS"');
  });
});
