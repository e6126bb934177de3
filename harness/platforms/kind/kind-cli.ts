// The `kind` and `kubectl` command lines the kind platform uses, through execa.

import { execa, type Options } from 'execa';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';

const installHints: Record<string, string> = {
  kind: 'install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation) and run again',
  kubectl: 'install kubectl (Debian: apt-get install kubernetes-client) and run again',
};

/** Runs a tool; a missing tool becomes an error that says how to get it. */
async function runTool(command: string, args: string[], options: Options = {}) {
  try {
    return await execa(command, args, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new Error(`\`${command}\` is not on PATH: ${installHints[command] ?? 'install it and run again'}`);
    }
    const { shortMessage, stderr } = error as { shortMessage?: string; stderr?: unknown };
    const detail = typeof stderr === 'string' && stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : '';
    throw new Error(`${shortMessage ?? (error as Error).message}${detail}`);
  }
}

export async function commandExists(command: string): Promise<boolean> {
  const result = await execa(command, ['version'], { reject: false, timeout: 10_000 });
  return result.exitCode === 0;
}

export async function kindClusterExists(clusterName: string): Promise<boolean> {
  const result = await runTool('kind', ['get', 'clusters'], { timeout: 30_000 });
  return String(result.stdout).split('\n').some((line) => line.trim() === clusterName);
}

export async function createKindCluster(clusterName: string, configPath: string, progress: (line: string) => void): Promise<void> {
  progress(`creating kind cluster "${clusterName}" from ${configPath} (a few minutes the first time)`);
  const child = execa('kind', ['create', 'cluster', '--name', clusterName, '--config', configPath, '--wait', '120s'], {
    timeout: 600_000,
    all: true,
  });
  child.all?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) progress(`kind: ${line.trim()}`);
  });
  await child;
}

export async function deleteKindCluster(clusterName: string): Promise<void> {
  await runTool('kind', ['delete', 'cluster', '--name', clusterName], { timeout: 300_000 });
}

export async function loadImageIntoKind(clusterName: string, image: string, progress: (line: string) => void): Promise<void> {
  progress(`loading image ${image} into kind cluster "${clusterName}"`);
  await runTool('kind', ['load', 'docker-image', image, '--name', clusterName], { timeout: 600_000 });
}

/** `kubectl kustomize <dir>`, parsed into objects. */
export async function renderKustomization(directory: string): Promise<KubernetesObject[]> {
  const { stdout } = await runTool('kubectl', ['kustomize', directory], { timeout: 60_000 });
  return parseManifestStream(String(stdout), `kubectl kustomize ${directory}`);
}

export function parseManifestStream(text: string, source: string): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if ('errors' in document && document.errors.length > 0) {
      throw new Error(`${source}: ${document.errors[0]?.message ?? 'invalid YAML'}`);
    }
    const value = document.toJS() as KubernetesObject | null;
    if (value) objects.push(value);
  }
  return objects;
}
