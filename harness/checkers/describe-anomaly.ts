// One human line for a linearizability anomaly, from its (near-minimal) evidence.

import type { Operation } from '../history/operation.js';
import { formatSeconds } from './format-seconds.js';

export function describeAnomaly(key: string, evidence: readonly Operation[]): string {
  const reads = evidence.filter((operation) => operation.f === 'read');
  const writers = evidence.filter((operation) => operation.f !== 'read');
  for (const read of reads) {
    const value = read.value as string | null;
    const source = writers.find((writer) => writtenValue(writer) === value);
    if (value !== null && source === undefined) return `phantom read of ${key}: read ${show(value)} at ${formatSeconds(read.invokeNs)}, a value no operation had begun to write by then`;
    if (source !== undefined && read.completeNs! < source.invokeNs) {
      return `read of ${key} returned ${show(value)} at ${formatSeconds(read.completeNs)}, before the write of it was invoked at ${formatSeconds(source.invokeNs)}`;
    }
    const replacer = writers.find((writer) => writer.f === 'cas' && writer.outcome === 'ok' && casFrom(writer) === value && writer.completeNs! < read.invokeNs);
    if (replacer !== undefined) {
      return `stale read of ${key}: read ${show(value)} at ${formatSeconds(read.invokeNs)} after ${describeWrite(replacer)}, which replaced it, was acknowledged at ${formatSeconds(replacer.completeNs)}`;
    }
    const newer = latestAcknowledgedBefore(writers, read.invokeNs, value, source);
    if (newer !== undefined) {
      return `stale read of ${key}: read ${show(value)} at ${formatSeconds(read.invokeNs)} after ${describeWrite(newer)} was acknowledged at ${formatSeconds(newer.completeNs)}`;
    }
    const newerRead = newerValueReadBefore(reads, writers, read, source);
    if (newerRead !== undefined) {
      return `stale read of ${key}: read ${show(value)} at ${formatSeconds(read.invokeNs)} after ${show(newerRead.value as string | null)}, written later, had been read at ${formatSeconds(newerRead.completeNs)}`;
    }
  }
  const cas = writers.filter((operation) => operation.f === 'cas');
  for (const first of cas) {
    const second = cas.find((other) => other !== first && casFrom(other) === casFrom(first));
    if (second !== undefined) {
      return `two cas on ${key} both replaced ${show(casFrom(first))}: process ${first.process} to ${show(writtenValue(first))} and process ${second.process} to ${show(writtenValue(second))}`;
    }
  }
  const listed = evidence.slice(0, 4).map(describeOperation).join('; ');
  return `${key}: these ${evidence.length} operations cannot be linearized: ${listed}${evidence.length > 4 ? '; ...' : ''}`;
}

/** A read of another value, completed before `read` began, whose write began after the source of `read` completed. */
function newerValueReadBefore(reads: readonly Operation[], writers: readonly Operation[], read: Operation, source: Operation | undefined): Operation | undefined {
  if (source !== undefined && source.outcome !== 'ok') return undefined;
  return reads.find((other) => {
    if (other.value === read.value || other.completeNs! >= read.invokeNs) return false;
    const otherSource = writers.find((writer) => writtenValue(writer) === other.value);
    return otherSource !== undefined && (source === undefined || source.completeNs! < otherSource.invokeNs);
  });
}

/** An acknowledged write of another value that completed before `timeNs` and after the source was written. */
function latestAcknowledgedBefore(writers: readonly Operation[], timeNs: number, value: string | null, source: Operation | undefined): Operation | undefined {
  let latest: Operation | undefined;
  for (const writer of writers) {
    if (writer.outcome !== 'ok' || writtenValue(writer) === value || writer.completeNs! >= timeNs) continue;
    if (source !== undefined && (source.outcome !== 'ok' || !(source.completeNs! < writer.invokeNs))) continue;
    if (latest === undefined || writer.completeNs! > latest.completeNs!) latest = writer;
  }
  return latest;
}

export function describeOperation(operation: Operation): string {
  const span = `[${formatSeconds(operation.invokeNs)}, ${operation.outcome === 'ok' ? formatSeconds(operation.completeNs) : operation.outcome}]`;
  if (operation.f === 'read') return `process ${operation.process} read ${show(operation.value as string | null)} ${span}`;
  return `process ${operation.process} ${describeWrite(operation)} ${span}`;
}

function describeWrite(operation: Operation): string {
  if (operation.f === 'write') return `write ${show(operation.value as string)}`;
  if (operation.f === 'delete') return 'delete';
  const [from, to] = operation.value as [string | null, string];
  return `cas ${show(from)} to ${show(to)}`;
}

function writtenValue(operation: Operation): string | null {
  if (operation.f === 'cas') return (operation.value as [string | null, string])[1];
  if (operation.f === 'delete') return null;
  return operation.value as string | null;
}

function casFrom(operation: Operation): string | null {
  return (operation.value as [string | null, string])[0];
}

function show(value: string | null): string {
  return value === null ? 'absent' : value;
}
