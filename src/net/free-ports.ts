import { createServer } from 'node:net';

/**
 * `count` distinct TCP ports on 127.0.0.1 that the OS says are free right now (bound to 0,
 * read, released). A cluster needs its peers' ports before any node starts, so they are
 * picked this way; another process could still take one in between, which tests accept.
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
      });
    });
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}
