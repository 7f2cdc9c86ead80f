// Moved to lib/error-handler.ts (below the modules); this re-export lasts until the last importer moves too.
export * from '../lib/error-handler.js';
