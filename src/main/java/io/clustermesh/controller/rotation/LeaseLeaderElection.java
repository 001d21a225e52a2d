package io.clustermesh.controller.rotation;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.jboss.logging.Logger;

/**
 * Leader election on a coordination.k8s.io/v1 Lease in the service's own namespace, the way
 * client-go's leaderelection does it: the holder renews {@code renewTime}; anybody may take over
 * once {@code renewTime + leaseDurationSeconds} has passed. Every write carries the resourceVersion
 * read just before, so of two replicas racing for the same Lease the API server lets exactly one win.
 */
public final class LeaseLeaderElection implements LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaseLeaderElection.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Duration duration;
    private final Clock clock;

    public LeaseLeaderElection(
            KubernetesClient client, String namespace, String name, String identity, Duration duration, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.duration = duration;
        this.clock = clock;
    }

    @Override
    public boolean tryLead() {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(name).get();
            if (lease == null) {
                client.leases()
                        .inNamespace(namespace)
                        .resource(new LeaseBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(namespace)
                                .endMetadata()
                                .withNewSpec()
                                .withHolderIdentity(identity)
                                .withLeaseDurationSeconds((int) duration.toSeconds())
                                .withAcquireTime(now)
                                .withRenewTime(now)
                                .withLeaseTransitions(0)
                                .endSpec()
                                .build())
                        .create();
                LOG.infof("leader election: %s took lease %s/%s", identity, namespace, name);
                return true;
            }
            var spec = lease.getSpec();
            String holder = spec == null ? null : spec.getHolderIdentity();
            if (identity.equals(holder)) {
                spec.setRenewTime(now);
                client.leases().inNamespace(namespace).resource(lease).update();
                return true;
            }
            if (holder != null
                    && !holder.isEmpty()
                    && !expired(spec.getRenewTime(), spec.getLeaseDurationSeconds(), now)) {
                return false;
            }
            spec.setHolderIdentity(identity);
            spec.setAcquireTime(now);
            spec.setRenewTime(now);
            spec.setLeaseDurationSeconds((int) duration.toSeconds());
            spec.setLeaseTransitions(spec.getLeaseTransitions() == null ? 1 : spec.getLeaseTransitions() + 1);
            client.leases().inNamespace(namespace).resource(lease).update();
            LOG.infof("leader election: %s took over lease %s/%s from %s", identity, namespace, name, holder);
            return true;
        } catch (KubernetesClientException e) {
            // 409: another replica wrote first; anything else: we cannot prove we lead, so we do not.
            return false;
        }
    }

    @Override
    public String holder() {
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(name).get();
            return lease == null || lease.getSpec() == null
                    ? null
                    : lease.getSpec().getHolderIdentity();
        } catch (KubernetesClientException e) {
            return null;
        }
    }

    private static boolean expired(ZonedDateTime renewTime, Integer seconds, ZonedDateTime now) {
        if (renewTime == null || seconds == null) {
            return true;
        }
        return renewTime.plusSeconds(seconds).isBefore(now);
    }
}
