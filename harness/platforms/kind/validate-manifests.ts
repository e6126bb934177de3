// Checks Kubernetes objects against the Kubernetes OpenAPI schemas (kubernetes-models), so a
// broken manifest is refused here, with the object and the field, before any API call.

import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';

interface Validatable {
  validate(): void;
}

const models: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

export interface ManifestProblem {
  object: string;
  message: string;
}

export function validateManifests(objects: KubernetesObject[]): ManifestProblem[] {
  return objects.flatMap((object) => {
    const name = `${object.kind ?? '?'} ${object.metadata?.name ?? '?'}`;
    const Model = models[`${object.apiVersion}/${object.kind}`];
    if (!Model) {
      return [{ object: name, message: `no schema known for ${object.apiVersion}/${object.kind}; add it to validate-manifests.ts` }];
    }
    try {
      new Model(object as never).validate();
      return [];
    } catch (error) {
      return [{ object: name, message: (error as Error).message }];
    }
  });
}
