#!/usr/bin/env node
// Usage: node scripts/complete-lockfile.js && npm install --package-lock-only --no-audit --no-fund
//
// The npm registry mirror our machines use lacks some platform-specific optional packages (for
// example @unrs/resolver-binding-darwin-arm64, which jest 30's resolver lists). `npm install` then
// writes a package-lock.json without them, and `npm ci` refuses that lock ("Missing:
// @unrs/resolver-binding-...@ from lock file") here and on any other machine. This adds a
// placeholder entry (version, optional) for every optional dependency the lock lacks: npm ci then
// accepts the lock and, as for any optional package, installs it where it can and skips it where it
// cannot. The follow-up `npm install --package-lock-only` puts the entries in npm's own order.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

/** Where node would find `name` from the package at `from` ('' = the root), or undefined. */
function resolve(from, name) {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[key]) return key;
    if (!dir) return undefined;
  }
}

const added = [];
for (const [from, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolve(from, name)) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) {
      throw new Error(`${from || 'the root'} wants optional ${name}@${spec}, which is not an exact version; add it by hand`);
    }
    const key = packages[`node_modules/${name}`] === undefined ? `node_modules/${name}` : `${from}/node_modules/${name}`;
    packages[key] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true };
    added.push(`${key}@${spec}`);
  }
}
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} optional placeholder(s):\n  ${added.join('\n  ')}` : 'package-lock.json lacks no optional dependency');
