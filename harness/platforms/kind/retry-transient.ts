// Kubernetes API calls that fail for a passing reason (the API server busy or restarting, a
// connection reset) are tried again with back-off; every other failure is final at once.

import pRetry, { AbortError } from 'p-retry';
import { kubernetesErrorCode } from './kubernetes-error-message.js';

/** HTTP codes the API server answers while overloaded or starting: worth another try. */
const transientStatuses = new Set([429, 500, 502, 503, 504]);
const transientNetworkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

export function isTransientKubernetesError(error: unknown): boolean {
  const status = kubernetesErrorCode(error);
  if (status !== undefined) return transientStatuses.has(status);
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && transientNetworkCodes.has(code);
}

export interface RetryOptions {
  /** Further attempts after the first; default 4 (about 3 s of back-off in all). */
  retries?: number;
  minTimeoutMs?: number;
}

export function retryTransient<T>(request: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await request();
      } catch (error) {
        if (!isTransientKubernetesError(error)) throw new AbortError(error as Error);
        throw error;
      }
    },
    { retries: options.retries ?? 4, minTimeout: options.minTimeoutMs ?? 200, factor: 2, maxTimeout: 2_000 },
  );
}
