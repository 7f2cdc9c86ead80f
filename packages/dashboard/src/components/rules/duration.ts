// Durations the API stores in seconds (or minutes) are typed in the unit a person thinks in: "4 h",
// not 14400. A stored value is shown in the largest unit that divides it evenly.

export type Unit = 's' | 'min' | 'h' | 'd';
export type BaseUnit = 's' | 'min';

const SECONDS: Record<Unit, number> = { s: 1, min: 60, h: 3600, d: 86_400 };

/** The units offered for a value stored in `base`. */
export function unitsFor(base: BaseUnit): Unit[] {
  return base === 's' ? ['s', 'min', 'h', 'd'] : ['min', 'h', 'd'];
}

/** A stored value as an amount in the largest unit that divides it evenly (0 stays in the base unit). */
export function splitDuration(value: number, base: BaseUnit): { amount: number; unit: Unit } {
  const inSeconds = value * SECONDS[base];
  const units = unitsFor(base).slice().reverse();
  const unit = value === 0 ? base : (units.find((u) => inSeconds % SECONDS[u] === 0) ?? base);
  return { amount: inSeconds / SECONDS[unit], unit };
}

/** An amount in `unit` as the stored value in `base` (rounded: 90 s typed in minutes is 2 min). */
export function joinDuration(amount: number, unit: Unit, base: BaseUnit): number {
  return Math.round((amount * SECONDS[unit]) / SECONDS[base]);
}

/** "30 s", "5 min", "4 h", "1 d 6 h" for a stored value; unit names come from `name`. */
export function formatDuration(value: number, base: BaseUnit, name: (u: Unit) => string): string {
  let rest = value * SECONDS[base];
  if (rest === 0) return `0 ${name(base)}`;
  const parts: string[] = [];
  for (const u of ['d', 'h', 'min', 's'] as Unit[]) {
    const n = Math.floor(rest / SECONDS[u]);
    if (n > 0) {
      parts.push(`${n} ${name(u)}`);
      rest -= n * SECONDS[u];
    }
  }
  return parts.join(' ');
}
