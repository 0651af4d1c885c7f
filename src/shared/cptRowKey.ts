/**
 * The row keys of a CPT in a model file's `init` (DESIGN.md, "The model file"): the row of a
 * variable for parent states s1, s2 is keyed "P1=s1,P2=s2", parents in declared order, and a
 * root's single row is "". Spaces around names and states are not significant.
 *
 * One reading for the model-file checks (src/spec/initChecks.ts) and the engine
 * (src/engine/bayesnet/initialParameters.ts), so that a key the checks accept is a key the
 * engine finds, and the other way round.
 */

/** "H = 0 , G=1" -> "H=0,G=1"; blank -> "" (a root's row). A state may itself hold "=": only the first one splits. */
export function canonicalRowKey(key: string): string {
  if (key.trim() === '') return '';
  return key
    .split(',')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? part.trim() : `${part.slice(0, eq).trim()}=${part.slice(eq + 1).trim()}`;
    })
    .join(',');
}
