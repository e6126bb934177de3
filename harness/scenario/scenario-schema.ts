// The scenario file format: the one source of truth for validation (ajv), defaults and the
// generated reference in docs/scenarios.md. `expected` is the phrase error messages use.
//
// A scenario is validated in two parts: the document (`scenarioSchema`) and then each timeline
// step against the schema of its kind (`stepSchemas`), chosen by the step's first key. That keeps
// step errors precise (`timeline[2].target: …`) and lets every step carry its own defaults.

import { faultKinds, faults, nemesisDefaultFaultKinds } from '../faults/fault-registry.js';
import { durationPattern } from './duration.js';
import { duration, type SchemaNode } from './schema-node.js';

export type { SchemaNode } from './schema-node.js';

export const targetNames = [
  'leader',
  'followers',
  'random-follower',
  'minority',
  'majority',
  'random-node',
  'all',
] as const;

export type TargetName = (typeof targetNames)[number];

function positiveInteger(description: string, defaultValue: number, maximum?: number) {
  const node = {
    type: 'integer',
    minimum: 1,
    expected: maximum === undefined ? 'a positive whole number' : `a whole number from 1 to ${maximum}`,
    description,
    default: defaultValue,
  } as const;
  return maximum === undefined ? node : { ...node, maximum };
}

function fraction(description: string) {
  return { type: 'number', minimum: 0, expected: 'a number of 0 or more', description } as const;
}

function flag(description: string, defaultValue: boolean) {
  return { type: 'boolean', expected: 'true or false', description, default: defaultValue } as const;
}

const target = {
  type: 'string',
  anyOf: [{ enum: targetNames }, { pattern: '^raft-[0-9]+$' }],
  expected: `one of ${targetNames.join(', ')} or a node name such as raft-1`,
  description:
    'Who the step hits, resolved when it fires from the nodes\' status: ' +
    `${targetNames.join(', ')}, or one node by name (raft-0, raft-1, …).`,
} as const satisfies SchemaNode;

const cluster = {
  type: 'object',
  description: 'The cluster under test.',
  expected: 'a mapping',
  default: {},
  additionalProperties: false,
  properties: {
    replicas: positiveInteger('Number of nodes; `--replicas` overrides it.', 3, 9),
    env: {
      type: 'object',
      description: 'Extra `RAFT_*` environment variables for every node (timeouts, bug modes).',
      expected: 'a mapping',
      default: {},
      propertyNames: { pattern: '^RAFT_[A-Z0-9_]+$', expected: 'a variable name starting with RAFT_' },
      additionalProperties: { type: 'string', expected: 'a string (quote numbers: "300")' },
    },
    restartDelay: duration('Delay before the supervisor restarts a killed node.', '500ms'),
  },
} as const satisfies SchemaNode;

const mix = {
  type: 'object',
  description:
    'Relative weights of the operation kinds (normalised to sum to 1; a kind left out gets 0).',
  expected: 'a mapping of read, write, cas and delete weights',
  default: { read: 0.4, write: 0.4, cas: 0.15, delete: 0.05 },
  additionalProperties: false,
  properties: {
    read: fraction('Weight of `get`.'),
    write: fraction('Weight of `put`.'),
    cas: fraction('Weight of compare-and-set.'),
    delete: fraction('Weight of `delete`.'),
  },
} as const satisfies SchemaNode;

const workload = {
  type: 'object',
  description: 'The clients that drive traffic and record the history.',
  expected: 'a mapping',
  default: {},
  additionalProperties: false,
  properties: {
    clients: positiveInteger('Concurrent logical clients, each with one operation in flight.', 4, 256),
    keys: positiveInteger('Keys in use at a time.', 4),
    opsPerKey: positiveInteger('A key is retired after this many operations.', 200),
    infoPerKey: positiveInteger('…or after this many indefinite (`info`) results.', 10),
    rate: {
      type: 'number',
      exclusiveMinimum: 0,
      expected: 'a positive number',
      description: 'Target operations per second over all clients.',
      default: 100,
    },
    mix,
    requestTimeout: duration('A request without an answer after this is indefinite (`info`).', '1s'),
  },
} as const satisfies SchemaNode;

const checks = {
  type: 'object',
  description: 'What is checked after the run. Verdicts are true, false or unknown.',
  expected: 'a mapping',
  default: {},
  additionalProperties: false,
  properties: {
    linearizable: flag('Check the history for linearizability, key by key.', true),
    lostWrites: flag('Fail when an acknowledged write is missing from later reads.', true),
    phantom: flag('Fail when a read returns a value no client ever wrote.', true),
    recoveryLimit: duration(
      'When set: the next acknowledged write after each fault must come within this.',
    ),
    minOpsAroundFault: {
      type: 'integer',
      minimum: 0,
      expected: 'a whole number of 0 or more',
      description:
        'Operations that must complete before and after each fault, else the verdict is unknown.',
      default: 5,
    },
    healthyAfter: duration(
      'After the final heal the cluster must have one leader and every node caught up within this.',
      '20s',
    ),
    checkerBudget: duration('Time budget of each history check; past it the verdict is unknown.', '30s'),
  },
} as const satisfies SchemaNode;

/**
 * The scenario document. Its TypeScript type (`RawScenario`, to-scenario.ts) is derived from it,
 * so the schema is the one statement of what a scenario file holds.
 */
export const scenarioSchema = {
  type: 'object',
  description: 'A scenario file.',
  additionalProperties: false,
  required: ['name', 'description', 'timeline'],
  properties: {
    name: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9-]*$',
      expected: 'a lower-case name of letters, digits and dashes',
      description: 'The scenario\'s name, as given to `harness run <name>`; by convention the file name.',
    },
    description: {
      type: 'string',
      minLength: 1,
      expected: 'a non-empty string',
      description: 'What the scenario does and what it shows, printed by `harness list`.',
    },
    cluster,
    workload,
    timeline: {
      type: 'array',
      minItems: 1,
      expected: 'a list of steps',
      description: 'The steps, run in order while the workload runs. See "Timeline steps".',
      items: { type: 'object', expected: 'a step such as `- wait: 2s`' },
    },
    checks,
    timeLimit: duration('The whole scenario is aborted past this.', '2m'),
    inAll: flag('Whether `harness run all` runs it; false: it runs only when named (a long soak).', true),
  },
} as const satisfies SchemaNode;

function step(action: string, actionSchema: SchemaNode, extra: Record<string, SchemaNode> = {}): SchemaNode {
  return {
    type: 'object',
    description: actionSchema.description,
    additionalProperties: false,
    required: [action],
    properties: { [action]: actionSchema, ...extra },
  };
}

export const stepSchemas: Record<string, SchemaNode> = {
  wait: step('wait', duration('Let the workload run for this long.')),
  fault: step(
    'fault',
    {
      type: 'string',
      enum: faultKinds,
      expected: `one of ${faultKinds.join(', ')}`,
      description:
        'Inject a fault; it stays until a `heal` step names it (or `heal: all`), and is healed ' +
        'at the end of the timeline regardless.',
    },
    {
      target: {
        ...target,
        description: `${target.description} Defaults: ${describeDefaultTargets()}.`,
      },
      id: {
        type: 'string',
        pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$',
        expected: 'a name of letters, digits, dashes and underscores',
        description: 'Name for `heal` and the timeline; defaults to `<fault>-<n>`.',
      },
      ...Object.assign({}, ...faults.map((fault) => fault.parameters?.schema ?? {})),
    },
  ),
  heal: step('heal', {
    type: 'string',
    minLength: 1,
    expected: '`all` or the id of an earlier fault',
    description: 'Revert one fault by id, or `all` of them. Healing is not recovery: follow with `wait-for-healthy`.',
  }),
  restart: step(
    'restart',
    {
      ...target,
      description: 'Stop and start the targets (gracefully, SIGTERM); with `rolling`, one at a time.',
    },
    {
      rolling: {
        type: 'boolean',
        expected: 'true or false',
        description: 'Restart one node at a time, waiting for the cluster to be healthy between them.',
        default: true,
      },
    },
  ),
  'wait-for-leader': step(
    'wait-for-leader',
    duration('Wait until exactly one node reports itself leader; fail the run past this timeout.'),
  ),
  'wait-for-healthy': step(
    'wait-for-healthy',
    duration('Wait until there is one leader and every node has caught up; fail the run past this timeout.'),
  ),
  nemesis: step(
    'nemesis',
    duration('Run a seeded random nemesis for this long: one fault at a time, each healed after `hold`.'),
    {
      faults: {
        type: ['array', 'string'],
        anyOf: [
          {
            type: 'array',
            items: { type: 'string', enum: faultKinds, expected: `one of ${faultKinds.join(', ')}` },
            minItems: 1,
            uniqueItems: true,
          },
          { enum: ['supported'] },
        ],
        expected: 'a list of fault kinds, or "supported"',
        description:
          'Fault kinds to choose from. power-loss is picked only when listed. `supported`: every fault kind the platform can inject here.',
        default: [...nemesisDefaultFaultKinds],
      },
      interval: duration('Time from one fault to the next.', '6s'),
      hold: duration('How long each fault stays before it is healed.', '3s'),
    },
  ),
};

export const stepKinds = Object.keys(stepSchemas);

/** `leader` for kill, stop…; `minority` for partition; …: each fault's own defaultTarget. */
function describeDefaultTargets(): string {
  const kindsByTarget = new Map<string, string[]>();
  for (const fault of faults) kindsByTarget.set(fault.defaultTarget, [...(kindsByTarget.get(fault.defaultTarget) ?? []), fault.kind]);
  return [...kindsByTarget].map(([targetName, kinds]) => `\`${targetName}\` for ${joinWithAnd(kinds)}`).join('; ');
}

function joinWithAnd(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export const durationFormat = { type: 'string' as const, validate: new RegExp(durationPattern) };
