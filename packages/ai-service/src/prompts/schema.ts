// The reply schema: one TypeBox schema validates the model's output and, serialised, tells the
// model what to produce, so the prompt and the validator cannot drift apart.
import Type, { type Static } from 'typebox';
import { SEVERITIES } from '@logsage/contracts';

export { SEVERITIES };
export const CATEGORIES = [
  'database',
  'network',
  'security',
  'performance',
  'resource',
  'application',
  'configuration',
  'hardware',
  'other',
] as const;

export type SeverityName = (typeof SEVERITIES)[number];
export type Category = (typeof CATEGORIES)[number];

const Score = Type.Number({ minimum: 0, maximum: 1 });
const Text = Type.String({ maxLength: 4000 });
// Slot indexes, not values: the caller caches one verdict per distinct value of these slots.
// Integers of any sign pass here; the range check against the template (key-params.ts) decides.
export const KeyParamsSchema = Type.Array(Type.Integer(), { maxItems: 32 });

export const ResultSchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  is_anomaly: Type.Boolean(),
  anomaly_score: Score,
  severity: Type.Enum([...SEVERITIES]),
  category: Type.Enum([...CATEGORIES]),
  summary: Text,
  root_cause: Text,
  suggestion: Text,
  confidence: Score,
  parameter_dependent: Type.Boolean(),
  // Optional: a reply without it reads as "every value may matter", never as an invalid reply.
  key_params: Type.Optional(KeyParamsSchema),
});

export const ReplySchema = Type.Object({ results: Type.Array(ResultSchema) });

/** One verdict as the model writes it. */
export type ModelResult = Static<typeof ResultSchema>;
export type ModelReply = Static<typeof ReplySchema>;
