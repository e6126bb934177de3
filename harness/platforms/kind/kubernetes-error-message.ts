// Reduces a Kubernetes API failure to the API's own `Status.message`, plus the HTTP code.

export function kubernetesErrorMessage(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const candidate = error as { code?: unknown; body?: unknown; message?: unknown };
  const status = parseStatus(candidate.body);
  if (status?.message) {
    const code = typeof candidate.code === 'number' ? ` (HTTP ${candidate.code}${status.reason ? `, ${status.reason}` : ''})` : '';
    return `${status.message}${code}`;
  }
  return typeof candidate.message === 'string' ? firstLine(candidate.message) : String(error);
}

export function kubernetesErrorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function parseStatus(body: unknown): { message?: string; reason?: string } | undefined {
  if (typeof body === 'string') {
    try {
      return parseStatus(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { message, reason } = body as { message?: unknown; reason?: unknown };
  return {
    message: typeof message === 'string' ? message : undefined,
    reason: typeof reason === 'string' ? reason : undefined,
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
