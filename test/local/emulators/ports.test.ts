import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PortInUseError, startDynalite, startS3rver, type RunningEmulator } from '../../../local/emulators';

/** A port held by a plain TCP server of this test, i.e. by "another process" as far as the emulators know. */
async function takePort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as AddressInfo).port, server };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe.each([
  ['DynamoDB', (port: number): Promise<RunningEmulator> => startDynalite({ port })],
  ['S3', (port: number): Promise<RunningEmulator> => startS3rver({ port })],
])('%s emulator on a given port', (service, start) => {
  it('listens on that port', async () => {
    // GIVEN a port that was free a moment ago
    const { port, server } = await takePort();
    await close(server);
    // WHEN the emulator starts on it
    const emulator = await start(port);
    // THEN its endpoint is that port on loopback
    try {
      expect(emulator.endpoint).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await emulator.close();
    }
  });

  it('refuses a taken port with a PortInUseError naming the port, and the process goes on', async () => {
    // GIVEN a port another server listens on
    const { port, server } = await takePort();
    try {
      // WHEN the emulator starts on it
      const started = start(port);
      // THEN it fails with the port and the service named (not an unhandled 'error' event)
      await expect(started).rejects.toThrow(PortInUseError);
      await expect(started).rejects.toMatchObject({ port, service, message: expect.stringContaining(`port ${port} on 127.0.0.1 (${service}) is in use`) });
    } finally {
      await close(server);
    }
  });
});
