// Where a field of a parsed YAML document was written: line and column, 1-based.

import { isMap, isScalar, type Document, type LineCounter, type Node } from 'yaml';
import type { FieldPath } from './field-path.js';

export interface Location {
  line: number;
  column: number;
}

/**
 * The location of the value at `path`, or of its key when `atKey` (for unknown fields), falling
 * back to the nearest enclosing node that exists (for missing fields).
 */
export function locateField(document: Document, lineCounter: LineCounter, path: FieldPath, atKey = false): Location {
  for (let length = path.length; length >= 0; length -= 1) {
    const prefix = path.slice(0, length);
    const node = atKey && length === path.length ? keyNode(document, prefix) : valueNode(document, prefix);
    if (node?.range) {
      const position = lineCounter.linePos(node.range[0]);
      return { line: position.line, column: position.col };
    }
  }
  return { line: 1, column: 1 };
}

function valueNode(document: Document, path: FieldPath): Node | undefined {
  if (path.length === 0) return document.contents ?? undefined;
  const node = document.getIn(path, true);
  return node !== null && typeof node === 'object' && 'range' in node ? (node as Node) : undefined;
}

function keyNode(document: Document, path: FieldPath): Node | undefined {
  const parent = valueNode(document, path.slice(0, -1));
  const name = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    if (isScalar(pair.key) && pair.key.value === name) return pair.key;
  }
  return undefined;
}
