// The Docker API connection the platform uses, and a bounded check that a daemon answers.

import Docker from 'dockerode';

/** Connects through DOCKER_HOST when set, else /var/run/docker.sock (dockerode's defaults). */
export function connectDocker(): Docker {
  return new Docker();
}

/** Where the daemon is expected, for messages. */
export function dockerEndpoint(): string {
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

/** True when the daemon answers a ping within `timeoutMs`. */
export async function dockerAnswers(docker: Docker, timeoutMs = 5000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = docker.ping().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
