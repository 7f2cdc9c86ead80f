// Public face of the log-patterns package: a Drain template miner with masking, header stripping,
// stable template ids and snapshots. Pure TypeScript, no I/O.
export { TemplateMiner } from './miner.js';
export { DEFAULT_OPTIONS, resolveOptions } from './options.js';
export { mask } from './tokens.js';
export { ALL_MASKS, WILDCARD } from './masks.js';
export { headerLength, stripHeader } from './header.js';
export { inferLayout } from './layout.js';
export { LayoutLearner } from './layout-learner.js';
export { parseHeaderTime, type HeaderTimeOptions } from './header-time.js';
export type { HeaderFields } from './layout.js';
export type { LayoutState } from './layout-learner.js';
export { templateId } from './hash.js';
export { extractParams } from './params.js';
export type { Snapshot, SnapshotCluster } from './snapshot.js';
export type {
  AddResult,
  ChangeType,
  CustomMask,
  MaskName,
  MaskOptions,
  MatchResult,
  MinerOptions,
  ResolvedOptions,
  TemplateInfo,
} from './types.js';
