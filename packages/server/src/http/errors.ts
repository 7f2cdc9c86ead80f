// Moved to lib/errors.ts (below the modules); this re-export lasts until the last importer moves too.
export * from '../lib/errors.js';
