/**
 * Hidden Markov model parameters as tables: start probabilities, the K x K transition matrix
 * (rows = from, columns = to) and the emissions (Gaussian means and covariances, or a
 * categorical K x M table of symbol probabilities), in hmmlearn's conventions.
 */
import type { HmmParametersJSON } from '../../../src/shared/results';
import { covarianceTables, meansTable, weightsTable } from './gaussianTables';
import { changeTitle, formatProbability } from './numberFormat';
import { textCell, type TableModel } from './tableModel';

export function hmmTables(params: HmmParametersJSON, reference?: HmmParametersJSON, referenceName = 'initial'): TableModel[] {
  const k = params.startProbabilities.length;
  const states = Array.from({ length: k }, (_, i) => `state ${i + 1}`);
  const tables: TableModel[] = [
    weightsTable(params.startProbabilities, reference?.startProbabilities, 'state', 'Start probabilities', 'start', referenceName),
    {
      caption: 'Transitions P(next state | state)',
      header: ['from \\ to', ...states],
      rowHeaders: true,
      rows: params.transitions.map((row, i) => [
        textCell(states[i]),
        ...row.map((p, j) => textCell(formatProbability(p), { numeric: true, title: changeTitle(p, reference?.transitions[i]?.[j], referenceName), key: `transitions|${i}|${j}` })),
      ]),
      key: 'transitions',
    },
  ];
  const emission = params.emission;
  const refEmission = reference?.emission;
  switch (emission.kind) {
    case 'gaussian': {
      const ref = refEmission?.kind === 'gaussian' ? refEmission : undefined;
      tables.push(meansTable(emission.means, ref?.means, emission.columns, 'state', 'emission-means', referenceName));
      tables.push(...covarianceTables(emission.covariance, emission.covariances, ref?.covariances, emission.columns, k, 'state', 'emission-cov', referenceName));
      break;
    }
    case 'categorical': {
      const ref = refEmission?.kind === 'categorical' ? refEmission : undefined;
      tables.push({
        caption: `Emissions P(${emission.column} | state)`,
        header: ['state', ...emission.symbols.map((s) => `${emission.column}=${s}`)],
        rowHeaders: true,
        rows: emission.probabilities.map((row, i) => [
          textCell(states[i]),
          ...row.map((p, j) => textCell(formatProbability(p), { numeric: true, title: changeTitle(p, ref?.probabilities[i]?.[j], referenceName), key: `emission|${i}|${j}` })),
        ]),
        key: 'emission',
      });
      break;
    }
    default: {
      const never: never = emission;
      throw new Error(`unknown emission ${JSON.stringify(never)}`);
    }
  }
  return tables;
}
