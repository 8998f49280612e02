import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FREEZE_AT_ENV, FROZEN_MARKER, type FreezePoint } from './freezeHook';
import { killWhenFrozen, REPO, type StartedCli } from './runCli';

/** Runs `script` in a node child with the freeze hook loaded, the way startCli loads it into the CLI. */
function startScript(script: string, freezeAt: FreezePoint): StartedCli {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(__dirname, 'freezeHook.ts'), '-e', script], {
    cwd: REPO,
    env: { ...process.env, [FREEZE_AT_ENV]: JSON.stringify(freezeAt) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, stderrSoFar: () => stderr };
}

describe('the freeze hook of the kill tests', () => {
  it('freezes the process right after the matching stderr write: nothing after it runs, not even a timer due at once', async () => {
    // GIVEN a script that writes two progress lines, then more output, on a timer and synchronously
    const script = `
      setTimeout(() => process.stdout.write('timer ran\\n'), 0);
      process.stderr.write('batches 1/4 (25%)\\n');
      process.stderr.write('batches 2/4 (50%)\\n');
      process.stdout.write('went on\\n');`;
    // WHEN it is frozen on the second line and killed
    const result = await killWhenFrozen(startScript(script, { stderr: 'batches 2/' }), 'on the second progress line');
    // THEN the kill landed right there
    expect(result.stderr).toContain('batches 2/4 (50%)');
    expect(result.stderr).toContain(`${FROZEN_MARKER} after writing "batches 2/4 (50%)"`);
    expect(result.stdout).toBe('');
  });

  it('freezes the process as its HTTP server receives the matching request, before the handler runs', async () => {
    // GIVEN a server that answers GET /a and GET /b, and a client asking for /a and then /b
    const script = `
      const http = require('node:http');
      const server = http.createServer((req, res) => { process.stdout.write('served ' + req.url + '\\n'); res.end('ok'); });
      server.listen(0, '127.0.0.1', async () => {
        const base = 'http://127.0.0.1:' + server.address().port;
        await (await fetch(base + '/a')).text();
        await (await fetch(base + '/b')).text();
        process.stdout.write('both answered\\n');
      });`;
    // WHEN it is frozen on GET /b and killed
    const result = await killWhenFrozen(startScript(script, { request: '^GET /b' }), 'on GET /b');
    // THEN /a was served, /b never was
    expect(result.stdout).toBe('served /a\n');
    expect(result.stderr).toContain(`${FROZEN_MARKER} on receiving GET /b`);
  });

  it('is a no-op without the environment variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(__dirname, 'freezeHook.ts'), '-e', "process.stderr.write('batches 2/4\\n')"], {
      cwd: REPO,
      env: { ...process.env, [FREEZE_AT_ENV]: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'batches 2/4\n' });
  });
});
