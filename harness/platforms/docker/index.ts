// The docker platform's public surface (the CLI's `--platform docker`, `harness image build`).

export { createDockerPlatform, dockerCapabilities, type DockerPlatformOptions } from './docker-platform.js';
export { linkFaultsUnavailableReason } from './link-fault-support.js';
export { buildServerImage, referenceServerEntry, serverImageRepository, type BuildServerImageOptions, type ServerImage } from './build-server-image.js';
export { DockerStartedCluster } from './docker-started-cluster.js';
export { dockerAnswers, dockerEndpoint, connectDocker } from './docker-client.js';
export { dockerLabels, dockerLabelFilters } from './docker-labels.js';
