/**
 * TEST FIXTURE. The consumer-group state machine of the Kafka-wire test broker (Kafka's
 * GroupCoordinator, reduced to what one broker and kafkajs need): Empty → PreparingRebalance
 * (every known member must rejoin, or is dropped after its rebalance timeout) →
 * CompletingRebalance (the leader computes the assignment, SyncGroup hands it out) → Stable.
 * Members that stop heartbeating for their session timeout are dropped (a killed consumer).
 */
import { randomUUID } from 'node:crypto';

export const ErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  UNKNOWN_MEMBER_ID: 25,
  REBALANCE_IN_PROGRESS: 27,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
} as const;

export interface JoinRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
  clientId: string;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocol: string;
  leaderId: string;
  memberId: string;
  members: { memberId: string; metadata: Buffer }[];
}

interface Member {
  id: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  lastSeen: number;
}

type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

class Group {
  state: GroupState = 'Empty';
  generation = 0;
  protocol = '';
  leader = '';
  readonly members = new Map<string, Member>();
  readonly pendingJoins = new Map<string, (result: JoinResult) => void>();
  readonly pendingSyncs = new Map<string, (result: { errorCode: number; assignment: Buffer }) => void>();
  assignments = new Map<string, Buffer>();
  rebalanceTimer: NodeJS.Timeout | undefined;
  /** Committed offsets: `topic:partition` → offset. */
  readonly offsets = new Map<string, bigint>();
}

export class GroupCoordinator {
  readonly #groups = new Map<string, Group>();
  readonly #sweeper: NodeJS.Timeout;

  constructor() {
    // Drops members whose session expired: how the broker notices a consumer that was killed.
    this.#sweeper = setInterval(() => this.#expireSessions(), 100);
    this.#sweeper.unref();
  }

  close(): void {
    clearInterval(this.#sweeper);
    for (const group of this.#groups.values()) clearTimeout(group.rebalanceTimer);
  }

  #group(id: string): Group {
    let group = this.#groups.get(id);
    if (!group) {
      group = new Group();
      this.#groups.set(id, group);
    }
    return group;
  }

  join(request: JoinRequest): Promise<JoinResult> {
    const group = this.#group(request.groupId);
    let memberId = request.memberId;
    if (memberId === '') {
      memberId = `${request.clientId}-${randomUUID()}`;
    } else if (!group.members.has(memberId)) {
      return Promise.resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocol: '', leaderId: '', memberId, members: [] });
    }
    group.members.set(memberId, {
      id: memberId,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      protocols: request.protocols,
      lastSeen: Date.now(),
    });
    const result = new Promise<JoinResult>((resolve) => {
      group.pendingJoins.get(memberId)?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, generationId: -1, protocol: '', leaderId: '', memberId, members: [] });
      group.pendingJoins.set(memberId, resolve);
    });
    if (group.state !== 'PreparingRebalance') this.#prepareRebalance(group);
    this.#maybeCompleteJoin(group);
    return result;
  }

  sync(groupId: string, generationId: number, memberId: string, assignments: { memberId: string; assignment: Buffer }[]): Promise<{ errorCode: number; assignment: Buffer }> {
    const group = this.#group(groupId);
    const member = group.members.get(memberId);
    if (!member) return Promise.resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    if (generationId !== group.generation) return Promise.resolve({ errorCode: ErrorCode.ILLEGAL_GENERATION, assignment: Buffer.alloc(0) });
    if (group.state === 'PreparingRebalance') return Promise.resolve({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
    member.lastSeen = Date.now();
    if (group.state === 'Stable') {
      return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: group.assignments.get(memberId) ?? Buffer.alloc(0) });
    }
    const result = new Promise<{ errorCode: number; assignment: Buffer }>((resolve) => group.pendingSyncs.set(memberId, resolve));
    if (memberId === group.leader) {
      group.assignments = new Map(assignments.map((a) => [a.memberId, a.assignment]));
      group.state = 'Stable';
      for (const [id, resolve] of group.pendingSyncs) resolve({ errorCode: ErrorCode.NONE, assignment: group.assignments.get(id) ?? Buffer.alloc(0) });
      group.pendingSyncs.clear();
    }
    return result;
  }

  heartbeat(groupId: string, generationId: number, memberId: string): number {
    const group = this.#group(groupId);
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
    member.lastSeen = Date.now();
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): number {
    const group = this.#group(groupId);
    if (!group.members.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.#remove(group, memberId);
    return ErrorCode.NONE;
  }

  /** OffsetCommit: generation -1 with no member is a plain commit (admin tools); members must be current. */
  commit(groupId: string, generationId: number, memberId: string, offsets: { topic: string; partition: number; offset: bigint }[]): number {
    const group = this.#group(groupId);
    if (generationId !== -1 || memberId !== '') {
      const member = group.members.get(memberId);
      if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (generationId !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
      if (group.state === 'PreparingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
      member.lastSeen = Date.now();
    }
    for (const { topic, partition, offset } of offsets) group.offsets.set(`${topic}:${partition}`, offset);
    return ErrorCode.NONE;
  }

  /** Ids of every group a client ever joined or committed for. */
  groupIds(): string[] {
    return [...this.#groups.keys()];
  }

  committed(groupId: string, topic: string, partition: number): bigint {
    return this.#groups.get(groupId)?.offsets.get(`${topic}:${partition}`) ?? -1n;
  }

  #prepareRebalance(group: Group): void {
    group.state = 'PreparingRebalance';
    for (const resolve of group.pendingSyncs.values()) resolve({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
    group.pendingSyncs.clear();
    clearTimeout(group.rebalanceTimer);
    const timeout = Math.max(0, ...[...group.members.values()].map((m) => m.rebalanceTimeoutMs));
    group.rebalanceTimer = setTimeout(() => {
      // Members that did not rejoin in time are out; the rebalance completes without them.
      for (const id of [...group.members.keys()]) if (!group.pendingJoins.has(id)) group.members.delete(id);
      this.#completeJoin(group);
    }, timeout);
    group.rebalanceTimer.unref();
  }

  #maybeCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    for (const id of group.members.keys()) if (!group.pendingJoins.has(id)) return;
    this.#completeJoin(group);
  }

  #completeJoin(group: Group): void {
    clearTimeout(group.rebalanceTimer);
    group.generation++;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.leader = '';
      return;
    }
    const members = [...group.members.values()];
    if (!group.members.has(group.leader)) group.leader = members[0]!.id;
    const leader = group.members.get(group.leader)!;
    const protocol = leader.protocols.find((p) => members.every((m) => m.protocols.some((q) => q.name === p.name)));
    group.state = 'CompletingRebalance';
    for (const [id, resolve] of group.pendingJoins) {
      if (!protocol) {
        resolve({ errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, generationId: -1, protocol: '', leaderId: '', memberId: id, members: [] });
        continue;
      }
      group.protocol = protocol.name;
      resolve({
        errorCode: ErrorCode.NONE,
        generationId: group.generation,
        protocol: protocol.name,
        leaderId: group.leader,
        memberId: id,
        members:
          id === group.leader
            ? members.map((m) => ({ memberId: m.id, metadata: m.protocols.find((p) => p.name === protocol.name)!.metadata }))
            : [],
      });
    }
    group.pendingJoins.clear();
  }

  #remove(group: Group, memberId: string): void {
    group.members.delete(memberId);
    group.pendingJoins.get(memberId)?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocol: '', leaderId: '', memberId, members: [] });
    group.pendingJoins.delete(memberId);
    group.pendingSyncs.delete(memberId);
    if (group.members.size === 0) {
      clearTimeout(group.rebalanceTimer);
      group.state = 'Empty';
      group.generation++;
      return;
    }
    if (group.state === 'PreparingRebalance') this.#maybeCompleteJoin(group);
    else this.#prepareRebalance(group);
  }

  #expireSessions(): void {
    const now = Date.now();
    for (const group of this.#groups.values()) {
      for (const member of [...group.members.values()]) {
        if (!group.pendingJoins.has(member.id) && now - member.lastSeen > member.sessionTimeoutMs) this.#remove(group, member.id);
      }
    }
  }
}
