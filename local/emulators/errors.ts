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

/** The data dir cannot be created or written; names the path and the OS error. */
export class DataDirUnusableError extends EmulatorError {
  constructor(readonly dataDir: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot use ${dataDir} as the data dir: ${reason}; give a --data-dir in a writable place`, options);
    this.name = 'DataDirUnusableError';
  }
}

