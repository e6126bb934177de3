// Counts of times (ns) against a fixed set of points, kept as one counter per gap between
// neighbouring points: adding a time costs a binary search, not a pass over every fault window,
// and how many times fell before a point, at it, or within any range between points is then exact.
// The per-fault-window checks count a long run's operations this way (189 windows in a 30-minute soak).

export class TimesAroundPoints {
  /** The points, sorted, without repeats. */
  readonly #points: Float64Array;
  /** Per gap g: times t with exactly g points <= t. */
  readonly #inGap: Float64Array;
  /** Per point: times equal to it. */
  readonly #atPoint: Float64Array;
  /** Prefix sums of #inGap, made on first question. */
  #before: Float64Array | undefined;
  #total = 0;

  constructor(points: Iterable<number>) {
    this.#points = Float64Array.from([...new Set([...points].filter(Number.isFinite))].sort((a, b) => a - b));
    this.#inGap = new Float64Array(this.#points.length + 1);
    this.#atPoint = new Float64Array(this.#points.length);
  }

  add(timeNs: number): void {
    const gap = this.gapOf(timeNs);
    this.#inGap[gap]!++;
    if (gap > 0 && this.#points[gap - 1] === timeNs) this.#atPoint[gap - 1]!++;
    this.#total++;
    this.#before = undefined;
  }

  /** The number of points <= timeNs: the gap the time falls in. */
  gapOf(timeNs: number): number {
    const points = this.#points;
    let low = 0;
    let high = points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (points[middle]! <= timeNs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Times t < point; `point` is one of the points, or ±Infinity. */
  countBefore(point: number): number {
    if (point === -Infinity) return 0;
    if (point === Infinity) return this.#total;
    return this.#prefix()[this.#indexOf(point)]!;
  }

  /** Times t with from <= t < until. */
  countFrom(fromNs: number, untilNs: number): number {
    return Math.max(0, this.countBefore(untilNs) - this.countBefore(fromNs));
  }

  /** Times t with from <= t <= until. */
  countBetween(fromNs: number, untilNs: number): number {
    const atUntil = Number.isFinite(untilNs) ? this.#atPoint[this.#indexOf(untilNs)]! : 0;
    return Math.max(0, this.countBefore(untilNs) + atUntil - this.countBefore(fromNs));
  }

  #indexOf(point: number): number {
    const index = this.gapOf(point) - 1;
    if (index < 0 || this.#points[index] !== point) throw new Error(`${point} is not one of the points counted against`);
    return index;
  }

  /** before[i]: times t < points[i], i.e. in gaps 0..i. */
  #prefix(): Float64Array {
    if (this.#before !== undefined) return this.#before;
    const before = new Float64Array(this.#points.length);
    let sum = 0;
    for (let index = 0; index < before.length; index++) {
      sum += this.#inGap[index]!;
      before[index] = sum;
    }
    return (this.#before = before);
  }
}
