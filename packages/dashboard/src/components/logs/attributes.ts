/** One attribute as shown: nested values become indented JSON text, scalars their plain text. */
export interface AttributeRow {
  key: string;
  value: string;
  nested: boolean;
}

/** The attributes of a log, sorted by key, ready to render as text. */
export function attributeRows(attrs: Record<string, unknown> | null | undefined): AttributeRow[] {
  return Object.entries(attrs ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, v]) => {
      const nested = typeof v === 'object' && v !== null;
      const value = typeof v === 'string' ? v : (JSON.stringify(v, null, nested ? 2 : undefined) ?? '');
      return { key, value, nested };
    });
}
