// Moved to lib/access.ts (below the modules); this re-export lasts until the last importer moves too.
export * from '../lib/access.js';
