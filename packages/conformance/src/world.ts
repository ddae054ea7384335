import { demoIds, demoWorld, type WorldConfig } from "@geminidb-sessions/emulator";

/** IDs and credentials the conformance world adds to the emulator's demo world (none of them real). */
export const conformanceIds = {
  /** An available Redis proxy cluster whose only node is `missing`: 404 DBS.200013. */
  missingNode: "7e1f0c2d3b4a45968778695a4b3c2d1ein12",
  /** An available Redis proxy cluster with no nodes at all: 404 DBS.200013. */
  noNodes: "8f2e1d0c9b8a47b6a5c4d3e2f1a0b9c8in12",
  /** A temporary AK/SK pair of the demo project: requests need its security token. */
  temporary: {
    accessKey: "CONFORMANCETEMPAK0001",
    secretKey: "conformanceTemporarySecretKeyNotReal01",
    securityToken: "conformanceSecurityTokenNotReal-0001",
  },
  /** A permanent AK/SK pair bound to both demo projects: X-Project-Id picks the project. */
  multiProject: {
    accessKey: "CONFORMANCEMULTIAK001",
    secretKey: "conformanceMultiProjectSecretNotReal02",
  },
} as const;

/** The demo world (see `demoIds`) plus the instances and credentials of {@link conformanceIds}. */
export function conformanceWorld(): WorldConfig {
  const world = demoWorld();
  const [demo] = world.projects;
  if (demo === undefined) throw new Error("the demo world has no project");
  demo.instances = [
    ...(demo.instances ?? []),
    {
      id: conformanceIds.missingNode,
      engine: "redis",
      mode: "proxy-cluster",
      nodes: [{ id: "3c4d5e6f7a8b49c0d1e2f3a4b5c6d7e8no12", status: "missing", sessions: 1 }],
    },
    { id: conformanceIds.noNodes, engine: "redis", mode: "proxy-cluster", nodes: [] },
  ];
  world.accessKeys = [
    ...(world.accessKeys ?? []),
    { ...conformanceIds.temporary, projectIds: [demoIds.projectId] },
    { ...conformanceIds.multiProject, projectIds: [demoIds.projectId, demoIds.otherProjectId] },
  ];
  return world;
}
