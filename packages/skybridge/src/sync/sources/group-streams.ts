import type { AccessRecord, SyncCheckpoint } from '../../domain/access-model.ts';
import type { Result } from '../../domain/result.ts';
import type { AtlassianError } from '../../atlassian/atlassian-error.ts';
import type { FetchPage, ListPage } from './page-walk.ts';
import { READ_CONCURRENCY, walkList, walkNested } from './page-walk.ts';
import type { LooseAttributes, RecordBuilder } from './source-ids.ts';
import type { SourcePage } from './source-reader.ts';

/**
 * The two streams of any membership container (a group, or a team): the containers themselves, each a resource with
 * a `member` entitlement, and each container's members, each a `member` grant to the user. The families differ only
 * in how a page of containers or of members is fetched and in which fields name them; everything else, ids and
 * checkpoints included, is built here once.
 */
/** A paged list of membership containers and how one maps to its resource. */
export interface ContainerSpec<G> {
  b: RecordBuilder;
  /** The container resource type. Default `group`. */
  type?: 'group' | 'team';
  /** One page of containers. */
  containers: FetchPage<G>;
  /** A container's external id (also the parent id in the members stream's checkpoint). */
  id: (container: G) => string;
  /** A container's display name (the entitlement is `${name} member`). */
  name: (container: G) => string;
  /** A container's resource attributes; none when absent. */
  attributes?: (container: G) => LooseAttributes;
  /** Requests in flight per stream. Default `READ_CONCURRENCY`. */
  concurrency?: number;
}

/** The containers stream alone: a resource and its `member` entitlement per container. */
export function containerStream<G>(
  spec: ContainerSpec<G>,
  phase: string,
  from: SyncCheckpoint | undefined,
  signal: AbortSignal,
): AsyncGenerator<SourcePage> {
  const { b } = spec;
  const type = spec.type ?? 'group';
  return walkList({
    phase,
    from,
    signal,
    concurrency: spec.concurrency ?? READ_CONCURRENCY,
    fetch: spec.containers,
    toRecords: (containers) =>
      containers.flatMap((c) => {
        const id = spec.id(c);
        const name = spec.name(c);
        return [
          b.resource(type, id, name, spec.attributes?.(c)),
          b.entitlement(b.id(type, id), 'member', `${name} member`),
        ];
      }),
  });
}

export interface MembershipSpec<G, M> extends ContainerSpec<G> {
  /** One page of a container's members. */
  members: (
    containerId: string,
    cursor: string | undefined,
    signal: AbortSignal,
  ) => Promise<Result<ListPage<M>, AtlassianError>>;
  /** A member's user external id. */
  memberId: (member: M) => string;
  /** Records yielded for a member before its grant (e.g. the user resource, where no user list exists). */
  memberRecords?: (member: M) => AccessRecord[];
}

export interface MembershipStreams {
  /** The containers stream: a resource and its `member` entitlement per container. */
  containers(phase: string, from: SyncCheckpoint | undefined, signal: AbortSignal): AsyncGenerator<SourcePage>;
  /** The members stream: a `member` grant per member of each container. */
  members(phase: string, from: SyncCheckpoint | undefined, signal: AbortSignal): AsyncGenerator<SourcePage>;
}

export function membershipStreams<G, M>(spec: MembershipSpec<G, M>): MembershipStreams {
  const { b } = spec;
  const type = spec.type ?? 'group';
  return {
    containers: (phase, from, signal) => containerStream(spec, phase, from, signal),
    members: (phase, from, signal) =>
      walkNested({
        phase,
        from,
        signal,
        concurrency: spec.concurrency ?? READ_CONCURRENCY,
        parents: spec.containers,
        parentId: spec.id,
        children: spec.members,
        toRecords: (containerId, members) => {
          const container = b.id(type, containerId);
          return members.flatMap((m) => [
            ...(spec.memberRecords?.(m) ?? []),
            b.grant(container, 'member', b.id('user', spec.memberId(m))),
          ]);
        },
      }),
  };
}
