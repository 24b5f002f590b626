// A latency histogram in microseconds: constant memory, about 1.5 % precision, mergeable.
//
// Buckets are log-linear (as in HdrHistogram): values below 64 µs each have their own bucket;
// above that, every power of two is split into 64 equal sub-buckets. A receiver records every
// delivery with two integer operations and one array increment, and workers ship only the
// non-empty buckets to the coordinator, which merges them and reads percentiles.

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS; // 64 sub-buckets per power of two
const MAX_US = 0xffff_ffff; // 2^32 µs is 71 minutes: longer samples are clamped
const BUCKETS = (32 - SUB_BITS + 1) * SUB;

/** Non-empty buckets as [index, count] pairs, plus the exact extremes: what crosses the IPC channel. */
export interface HistogramData {
  readonly buckets: readonly (readonly [number, number])[];
  readonly count: number;
  readonly maxUs: number;
  /** Samples that came out negative (clock skew between processes), recorded as 0. */
  readonly negative: number;
}

export class Histogram {
  readonly #counts = new Float64Array(BUCKETS);
  #count = 0;
  #maxUs = 0;
  #negative = 0;

  get count(): number {
    return this.#count;
  }

  /** Records one sample, in microseconds (fractions are dropped). */
  record(us: number): void {
    let value = Math.min(Math.floor(us), MAX_US);
    if (value < 0) {
      this.#negative++;
      value = 0;
    }
    if (value > this.#maxUs) this.#maxUs = value;
    this.#counts[bucketOf(value)]! += 1;
    this.#count++;
  }

  /** Adds another histogram's samples (from a worker) to this one. */
  merge(data: HistogramData): void {
    for (const [index, count] of data.buckets) this.#counts[index]! += count;
    this.#count += data.count;
    this.#negative += data.negative;
    if (data.maxUs > this.#maxUs) this.#maxUs = data.maxUs;
  }

  /** The value (µs, a bucket's lower bound) below which `q` (0..1) of the samples fall. */
  quantile(q: number): number {
    if (this.#count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(lowerBound(i), this.#maxUs);
    }
    return this.#maxUs;
  }

  get maxUs(): number {
    return this.#maxUs;
  }

  get negative(): number {
    return this.#negative;
  }

  toData(): HistogramData {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKETS; i++) {
      const count = this.#counts[i]!;
      if (count > 0) buckets.push([i, count]);
    }
    return { buckets, count: this.#count, maxUs: this.#maxUs, negative: this.#negative };
  }
}

/** Bucket of a whole number of µs in [0, 2^32): exact below 64, then 64 sub-buckets per octave. */
function bucketOf(value: number): number {
  if (value < SUB) return value;
  const exponent = 31 - Math.clz32(value) - SUB_BITS + 1; // 1 for 64..127, 2 for 128..255, ...
  const sub = (value >>> (exponent - 1)) - SUB; // 0..63 (value < 2^32, so >>> is exact)
  return exponent * SUB + sub;
}

function lowerBound(index: number): number {
  if (index < SUB) return index;
  const exponent = Math.floor(index / SUB);
  const sub = index % SUB;
  return (sub + SUB) * 2 ** (exponent - 1);
}
