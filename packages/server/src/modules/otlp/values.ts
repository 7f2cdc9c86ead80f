/** Readers for the OTLP JSON mapping (also what protobuf decoding yields): loose objects, checked as read. */
export type Obj = Record<string, unknown>;

/** Raised when the request's structure is not an ExportLogsServiceRequest (answered 400). */
export class OtlpShapeError extends Error {}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An optional object field; anything else than an object or absence is a malformed request. */
export function field(o: Obj, key: string, where: string): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new OtlpShapeError(`${where}.${key} must be an object`);
  return v;
}

/** An optional repeated field as a list of objects. */
export function list(o: Obj, key: string, where: string): Obj[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpShapeError(`${where}.${key} must be an array`);
  return v.map((x, i) => {
    if (!isObj(x)) throw new OtlpShapeError(`${where}.${key}[${i}] must be an object`);
    return x;
  });
}

/** An optional string field ('' when absent). */
export function text(o: Obj, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

/** A 64-bit integer sent as a digit string, a number, or protobufjs's {low, high} pair; as a decimal string. */
export function int64(v: unknown): string | undefined {
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return v.trim();
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v).toString();
  if (isObj(v) && typeof v.low === 'number' && typeof v.high === 'number') {
    return ((BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0)).toString();
  }
  return undefined;
}

/** AnyValue as plain JSON: kvlists become objects, arrays arrays, 64-bit ints numbers when exact. */
export function anyValue(v: unknown, depth = 0): unknown {
  if (!isObj(v)) return null;
  // A hostile body could nest values without end; past this depth the rest is cut, not followed.
  if (depth > 32) return '[too deep]';
  if ('stringValue' in v) return typeof v.stringValue === 'string' ? v.stringValue : String(v.stringValue);
  if ('boolValue' in v) return v.boolValue === true || v.boolValue === 'true';
  if ('intValue' in v) return intValue(v.intValue);
  if ('doubleValue' in v) return typeof v.doubleValue === 'number' ? v.doubleValue : Number(v.doubleValue);
  if ('bytesValue' in v) return v.bytesValue;
  if ('arrayValue' in v) {
    const a = isObj(v.arrayValue) && Array.isArray(v.arrayValue.values) ? v.arrayValue.values : [];
    return a.map((x) => anyValue(x, depth + 1));
  }
  if ('kvlistValue' in v) {
    return keyValues(isObj(v.kvlistValue) && Array.isArray(v.kvlistValue.values) ? v.kvlistValue.values : [], depth + 1);
  }
  return null;
}

function intValue(raw: unknown): number | string | null {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) return null;
  const n = Number(raw);
  // Beyond 2^53 a number would silently change the value: the exact digits are kept instead.
  return Number.isSafeInteger(n) ? n : raw;
}

/** A repeated KeyValue as an object; later duplicates win. */
export function keyValues(kvs: unknown[], depth = 0): Obj {
  const out: Obj = {};
  for (const kv of kvs) {
    if (!isObj(kv) || typeof kv.key !== 'string') continue;
    out[kv.key] = anyValue(kv.value, depth);
  }
  return out;
}

/** A trace or span id as lowercase hex, from hex (JSON mapping) or base64 (protobuf bytes); undefined when empty. */
export function idHex(v: unknown, encoding: 'hex' | 'base64'): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const hex = encoding === 'hex' ? v.toLowerCase() : Buffer.from(v, 'base64').toString('hex');
  return /^0*$/.test(hex) ? undefined : hex;
}
