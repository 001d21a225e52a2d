package io.clustermesh.controller.rotation;

/**
 * Decides whether this replica runs the scheduled rotations now. Asked before every scheduled
 * pass; a replica that stops asking (crashed, partitioned) loses the role once its Lease expires.
 */
public interface LeaderElection {

    /** True when this replica holds (or just took, or renewed) the leadership. */
    boolean tryLead();

    /** Who holds it, for logs; null when nobody does. */
    String holder();
}
