import type { InstanceConfig, NodeConfig, WorldConfig } from "./world-config.js";

/**
 * The IDs and credentials of the demo world, for tests that want a particular answer.
 * Every ID matches the spec's patterns; none of the credentials is real.
 */
export const demoIds = {
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  /** A project the demo credentials are not scoped to. */
  otherProjectId: "0e3c4f7a9b2d4c6e8f1a3b5c7d9e1f20",
  instances: {
    /** Redis proxy cluster, available, 3 nodes with 3, 4 and 5 sessions: the call succeeds. */
    redisProxy: "c865f921f3dd45198f209a607533a779in12",
    /** Redis proxy cluster, status `frozen`: 403 DBS.200011. */
    frozen: "d10f7e82f58937ecd930913d78622e45in12",
    /** Redis proxy cluster, status `busy`: 403 DBS.200019. */
    busy: "bba41c9dd90372a2bbf9a8372e964f15in12",
    /** Redis proxy cluster, available, one of its two nodes `abnormal`: 403 DBS.200018. */
    nodeDown: "5b2ccb2bdc35a77551ff204beeea34a4in12",
    /** Redis in `cluster` mode (not a proxy cluster): 400 DBS.200001. */
    redisCluster: "f4af9a353d0fbcfaf593c5ca93f189fbin12",
    /** A Cassandra instance: 400 DBS.200001. */
    cassandra: "dcfe693b224765e3b3d8401e6c26d25ain06",
    /** A Redis proxy cluster of the other project: 400 DBS.200010 when called under the demo project. */
    otherProject: "e52277cfa0075ff7dfa5066d42596a59in12",
  },
  /** Node IDs, for the node-scoped operations. */
  nodes: {
    /** The three nodes of `redisProxy`, holding 3, 4 and 5 sessions. */
    redisProxy: ["fab25295fd582d767f801e39fe62a3efno12", "5839362e9ce840751fd1bef7e038a277no12", "9d3f69187207c34f3c6e7eaf8c71f7eeno12"],
    /** The one node of `redisCluster` (a Redis instance in cluster mode: the node-scoped operations work on it). */
    redisCluster: "d43ec2c003a57e6207e038a57a4541b3no12",
    /** The `abnormal` node of `nodeDown`: 403 DBS.200018. */
    abnormal: "b7b669100294a249c65a190a488c422fno12",
    /** The node of the `frozen` instance: closing its sessions answers 403 DBS.200011. */
    frozen: "0189d2e4edfc657504fe04f358b71559no12",
  },
  /** A node ID that is well formed but names no node: 404 DBS.200013. */
  unknownNodeId: "00000000000000000000000000000000no12",
  /** An instance ID that is well formed but names no instance: 404 DBS.200002. */
  unknownInstanceId: "34832467ea3b62f7ac342c81740db609in12",
  token: "MIIDemoEmulatorTokenForGeminiDBSessions0001",
  /** A token of the demo project that expired in 2020: 401 APIGW.0301. */
  expiredToken: "MIIDemoEmulatorExpiredTokenForGeminiDBSessions0002",
  accessKey: "DEMOEMULATORAK0000001",
  secretKey: "demoEmulatorSecretKeyNotARealSecret0123",
} as const;

function node(id: string, sessions: number, status?: string) {
  return { id, sessions, ...(status === undefined ? {} : { status }) };
}

function instance(
  id: string,
  name: string,
  nodes: NodeConfig[],
  options: Partial<Pick<InstanceConfig, "engine" | "mode" | "status">> = {},
) {
  return { id, name, engine: "redis", mode: "proxy-cluster", status: "available", ...options, nodes };
}

/**
 * A fresh copy of the demo world: a demo project with its token and AK/SK pair, one Redis
 * proxy-cluster instance that can be cleared, and one instance for each refusal the
 * operation can answer (see {@link demoIds}).
 */
export function demoWorld(): WorldConfig {
  const { instances, nodes } = demoIds;
  const [first, second, third] = nodes.redisProxy;
  return {
    projects: [
      {
        id: demoIds.projectId,
        name: "demo",
        instances: [
          instance(instances.redisProxy, "demo-redis-proxy", [node(first, 3), node(second, 4), node(third, 5)]),
          instance(instances.frozen, "demo-redis-frozen", [node(nodes.frozen, 2)], { status: "frozen" }),
          instance(instances.busy, "demo-redis-busy", [node("94127690cf04de9f5f45b3d55bfbeb43no12", 2)], { status: "busy" }),
          instance(instances.nodeDown, "demo-redis-node-down", [
            node("b43b1ca6f8ea76647b2b983e35df0995no12", 1),
            node(nodes.abnormal, 0, "abnormal"),
          ]),
          instance(instances.redisCluster, "demo-redis-cluster", [node(nodes.redisCluster, 2)], { mode: "cluster" }),
          instance(instances.cassandra, "demo-cassandra", [node("29b4eca914a83f76ff7f2308de4a9e53no12", 2)], {
            engine: "cassandra",
            mode: "cluster",
          }),
        ],
      },
      {
        id: demoIds.otherProjectId,
        name: "other-tenant",
        instances: [instance(instances.otherProject, "other-redis-proxy", [node("074ebfaddefbec06a856a401e90f89deno12", 1)])],
      },
    ],
    tokens: [
      { token: demoIds.token, projectId: demoIds.projectId, expiresAt: "2099-12-31T23:59:59Z" },
      { token: demoIds.expiredToken, projectId: demoIds.projectId, expiresAt: "2020-01-01T00:00:00Z" },
    ],
    accessKeys: [{ accessKey: demoIds.accessKey, secretKey: demoIds.secretKey, projectIds: [demoIds.projectId] }],
  };
}
