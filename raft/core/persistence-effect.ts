// The effects that change what a node holds on disk (the shell makes them durable before what
// depends on them; see types.ts).

import type { Effect } from './types.js';

export type PersistenceEffect = Extract<Effect, { type: 'persistState' | 'appendEntries' | 'truncateLog' | 'saveSnapshot' }>;

export function isPersistenceEffect(effect: Effect): effect is PersistenceEffect {
  return effect.type === 'persistState' || effect.type === 'appendEntries' || effect.type === 'truncateLog' || effect.type === 'saveSnapshot';
}
