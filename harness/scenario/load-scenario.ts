// Reads and validates a scenario file. Every problem is reported with `file:line:column field:`
// and nothing is returned unless the whole file is valid.

import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { describeSchemaErrors, describeValue, type FieldProblem } from './describe-schema-errors.js';
import { formatFieldPath } from './field-path.js';
import { checkScenarioMeaning } from './check-scenario-meaning.js';
import type { Scenario } from './scenario.js';
import { ScenarioError, type ScenarioProblem } from './scenario-problem.js';
import { stepKinds } from './scenario-schema.js';
import { scenarioValidators } from './scenario-validators.js';
import { suggestName } from './suggest-name.js';
import { toScenario, type RawScenario } from './to-scenario.js';
import { locateField } from './yaml-location.js';

export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ScenarioError([{ file, line: 1, column: 1, field: '', message: `cannot read the scenario: ${reason}` }]);
  }
  return parseScenario(text, file);
}

function yamlPosition(position: { line: number; col: number }): { line: number; column: number } {
  return { line: Math.max(1, position.line), column: Math.max(1, position.col) };
}

/** Pure: the text of a scenario file -> Scenario, or a ScenarioError naming every problem. */
export function parseScenario(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ScenarioError(
      document.errors.map((error) => ({
        file,
        // With prettyErrors off the library leaves linePos unset; the offset is always there.
        ...yamlPosition(error.linePos?.[0] ?? lineCounter.linePos(error.pos[0])),
        field: '',
        message: `not valid YAML: ${firstLine(error.message)}`,
      })),
    );
  }
  const data: unknown = document.toJS();
  const locate = (problem: FieldProblem): ScenarioProblem => ({
    file,
    ...locateField(document, lineCounter, problem.path, problem.atKey),
    field: formatFieldPath(problem.path),
    message: problem.message,
  });
  const problems = validate(data).map(locate);
  if (problems.length > 0) throw new ScenarioError(sortProblems(problems));
  const raw = data as RawScenario;
  const meaning = checkScenarioMeaning(raw, (path) => document.hasIn(path)).map(locate);
  if (meaning.length > 0) throw new ScenarioError(sortProblems(meaning));
  return toScenario(raw, file, (path) => {
    const location = locateField(document, lineCounter, path);
    return `${file}:${location.line}:${location.column}`;
  });
}

function validate(data: unknown): FieldProblem[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return [{ path: [], atKey: false, message: `expected a mapping with name, description and timeline, got ${describeValue(data)}` }];
  }
  const validators = scenarioValidators();
  const problems = validators.scenario(data) ? [] : describeSchemaErrors(validators.scenario.errors ?? []);
  const timeline = (data as { timeline?: unknown }).timeline;
  if (Array.isArray(timeline)) timeline.forEach((step, index) => problems.push(...validateStep(step, index)));
  return problems;
}

function validateStep(step: unknown, index: number): FieldProblem[] {
  if (step === null || typeof step !== 'object' || Array.isArray(step)) return [];
  const keys = Object.keys(step);
  const actions = keys.filter((key) => stepKinds.includes(key));
  if (actions.length !== 1) return [wrongAction(keys, actions, index)];
  const validator = scenarioValidators().steps.get(actions[0]);
  if (validator === undefined || validator(step)) return [];
  return describeSchemaErrors(validator.errors ?? []).map((problem) => ({
    ...problem,
    path: ['timeline', index, ...problem.path],
  }));
}

function wrongAction(keys: string[], actions: string[], index: number): FieldProblem {
  if (actions.length > 1) {
    return { path: ['timeline', index], atKey: false, message: `a step does one thing, found ${actions.join(' and ')}: split it into two steps` };
  }
  const suggestion = keys.length > 0 ? suggestName(keys[0], stepKinds) : undefined;
  const hint = suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : '';
  return {
    path: ['timeline', index, ...(keys.length > 0 ? [keys[0]] : [])],
    atKey: true,
    message: `expected a step starting with one of ${stepKinds.join(', ')}, got ${keys.length > 0 ? `"${keys[0]}"` : 'an empty step'}${hint}`,
  };
}

function sortProblems(problems: ScenarioProblem[]): ScenarioProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
