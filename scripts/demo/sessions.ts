/** One node of an instance, as the emulator's admin API reports it. */
export interface NodeSessions {
  id: string;
  sessions: number;
  /** The node's redis-server, in real Redis mode. */
  address?: { host: string; port: number };
}

/** One instance of the emulator's world, with live session counts per node. */
export interface InstanceSessions {
  id: string;
  name?: string;
  engine: string;
  mode: string;
  status: string;
  nodes: Array<NodeSessions & { status: string }>;
}

/** Where the emulator's admin API is and the token it asks for (`X-Admin-Token`). */
export interface AdminApi {
  adminUrl: string;
  adminToken: string;
}

/** The world with live session counts: `GET /state` of the emulator's admin API. */
async function instances({ adminUrl, adminToken }: AdminApi): Promise<InstanceSessions[]> {
  const response = await fetch(`${adminUrl}/state`, { headers: { "X-Admin-Token": adminToken } });
  if (!response.ok) throw new Error(`GET ${adminUrl}/state answered ${response.status}`);
  const state = (await response.json()) as { world: { projects: Array<{ instances: InstanceSessions[] }> } };
  return state.world.projects.flatMap((project) => project.instances);
}

/** The first instance whose sessions can be closed: an available Redis proxy cluster whose nodes are all normal. */
export async function findClearableInstance(admin: AdminApi): Promise<InstanceSessions> {
  const found = (await instances(admin)).find(
    (instance) =>
      instance.engine === "redis" &&
      instance.mode === "proxy-cluster" &&
      instance.status === "available" &&
      instance.nodes.every((node) => node.status === "normal"),
  );
  if (found === undefined) throw new Error("the emulator's world has no instance whose sessions can be closed");
  return found;
}

/** Each node of `instanceId` with its current session count. */
export async function sessionsPerNode(admin: AdminApi, instanceId: string): Promise<NodeSessions[]> {
  const instance = (await instances(admin)).find((candidate) => candidate.id === instanceId);
  if (instance === undefined) throw new Error(`the emulator has no instance ${instanceId}`);
  return instance.nodes;
}

/** One line per node: `  node <id>  <n> sessions  (redis-server host:port)`. */
export function formatNodes(nodes: readonly NodeSessions[]): string {
  return nodes
    .map((node) => {
      const where = node.address === undefined ? "in memory" : `redis-server ${node.address.host}:${node.address.port}`;
      return `  node ${node.id}  ${String(node.sessions).padStart(3)} sessions  (${where})`;
    })
    .join("\n");
}
