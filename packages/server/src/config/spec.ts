/** One configuration variable: how to read it, its default, and the line .env.example explains it with. */
export interface VarSpec<T> {
  doc: string;
  default?: T;
  parse: (raw: string) => T;
  secret?: boolean;
}

export class BadValue extends Error {}

export const int = (min: number, max: number) => (raw: string): number => {
  if (!/^-?\d+$/.test(raw.trim())) throw new BadValue(`must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new BadValue(`must be between ${min} and ${max}, got ${n}`);
  return n;
};

export const str = (raw: string): string => raw;

export const oneOf = <T extends string>(...values: T[]) => (raw: string): T => {
  const v = raw.trim().toLowerCase() as T;
  if (!values.includes(v)) throw new BadValue(`must be one of ${values.join(', ')}, got "${raw}"`);
  return v;
};

export const bool = (raw: string): boolean => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new BadValue(`must be true or false, got "${raw}"`);
};

export const url = (...protocols: string[]) => (raw: string): string => {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new BadValue('must be a URL');
  }
  if (!protocols.includes(u.protocol)) throw new BadValue(`must be a ${protocols.join(' or ')} URL`);
  return raw;
};
