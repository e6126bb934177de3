// Paths into a scenario document: ['timeline', 2, 'target'] <-> `timeline[2].target`.

export type FieldPath = (string | number)[];

export function formatFieldPath(path: FieldPath): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

/** ajv's instancePath (`/timeline/2/target`) as a FieldPath, numbers for array indexes. */
export function parseInstancePath(instancePath: string): FieldPath {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
