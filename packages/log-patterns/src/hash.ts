// Template ids derive from the template text alone, so every worker and every restart agrees on
// them without coordination. Two independent 32-bit lanes give a 64-bit id: with a single lane,
// collisions become likely past ~50k templates (birthday bound), and a collision would silently
// make two templates share stored verdicts.

function fmix(h: number): number {
  // Murmur3's finaliser spreads the last characters' influence over all bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Stable 16-hex-digit id of a template text (hash of its UTF-16 code units). */
export function templateId(template: string): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9 ^ template.length;
  for (let i = 0; i < template.length; i++) {
    const c = template.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return fmix(a).toString(16).padStart(8, '0') + fmix(b).toString(16).padStart(8, '0');
}
