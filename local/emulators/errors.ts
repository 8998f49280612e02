/** Base class of the emulators' errors. */
export class EmulatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorError';
  }
}

/** Another process holds the data dir's lock: two processes on one data dir would corrupt it. */
export class DataDirLockedError extends EmulatorError {
  constructor(readonly dataDir: string, holder: string | undefined, options?: { cause?: unknown }) {
    super(
      `the data dir ${dataDir} is in use by another process${holder ? ` (${holder})` : ''}; wait for it to finish or stop it, or give another --data-dir`,
      options,
    );
    this.name = 'DataDirLockedError';
  }
}

/** What to do about a data dir whose kept state cannot be read. */
export const unreadableDataDirAdvice = (dataDir: string): string =>
  `move ${dataDir} away and start again: a new data dir starts the run from scratch; the data in ${dataDir} cannot be read`;

/**
 * The data dir cannot be created or written, or the state kept in it cannot be read; names the
 * path, what is wrong and what to do (by default: give a writable place).
 */
export class DataDirUnusableError extends EmulatorError {
  constructor(readonly dataDir: string, reason: string, options?: { cause?: unknown; advice?: string }) {
    super(`cannot use ${dataDir} as the data dir: ${reason}; ${options?.advice ?? 'give a --data-dir in a writable place'}`, options);
    this.name = 'DataDirUnusableError';
  }
}

/** An emulator's state in a kept directory cannot be read: a file replaced, overwritten or damaged. */
export class EmulatorStateUnreadableError extends EmulatorError {
  constructor(readonly path: string, readonly reason: string, options?: { cause?: unknown }) {
    super(`cannot read the emulator state in ${path}: ${reason}`, options);
    this.name = 'EmulatorStateUnreadableError';
  }
}

/** A port the emulators (or the local cloud) were told to listen on is taken by another process. */
export class PortInUseError extends EmulatorError {
  constructor(readonly service: string, readonly port: number, options?: { cause?: unknown; advice?: string }) {
    super(`port ${port} on 127.0.0.1 (${service}) is in use by another process; ${options?.advice ?? 'stop that process or choose another port'}`, options);
    this.name = 'PortInUseError';
  }
}
