// One thing wrong with a scenario file, located: `scenarios/x.yaml:14:7 workload.rate: expected a
// positive number, got -5`.

export interface ScenarioProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, e.g. `workload.rate` or `timeline[2].target`; empty for the document. */
  field: string;
  message: string;
}

export function formatScenarioProblem(problem: ScenarioProblem): string {
  const field = problem.field === '' ? '' : ` ${problem.field}:`;
  return `${problem.file}:${problem.line}:${problem.column}${field} ${problem.message}`;
}

/** Thrown where a scenario cannot be used; carries every problem found, each with its location. */
export class ScenarioError extends Error {
  readonly problems: ScenarioProblem[];

  constructor(problems: ScenarioProblem[]) {
    super(problems.map(formatScenarioProblem).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}
