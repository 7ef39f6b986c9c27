package io.gobstopper.tasks;

import java.time.Instant;

/**
 * One instance of the application working on the tasks of a store.
 *
 * @param nodeId the instance's name ({@code gobstopper.tasks.postgres.node-id})
 * @param startedAt when it started working on the store
 * @param lastSeen when it last renewed its presence; an instance silent for longer than the lease timeout is gone,
 *     and its running tasks are taken over by the others
 * @param running how many tasks it runs now
 * @param self whether it is the instance that answers
 */
public record NodeInfo(String nodeId, Instant startedAt, Instant lastSeen, int running, boolean self) {}
