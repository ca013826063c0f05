package io.daskkubernetes.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up a Lease on a graceful stop, as client-go's {@code ReleaseOnCancel} does: the holder is
 * cleared (only when it is still us) so that a standby acquires it on its next try instead of after
 * the lease duration.
 */
final class LeaseRelease {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

    private LeaseRelease() {}

    static void release(KubernetesClient client, LeaderElection election) {
        try {
            var lease =
                    client.leases()
                            .inNamespace(election.leaseNamespace())
                            .withName(election.leaseName());
            Lease current = lease.get();
            if (current == null
                    || current.getSpec() == null
                    || !election.identity().equals(current.getSpec().getHolderIdentity())) {
                return;
            }
            // A patch, as fabric8's elector renews with: the Role grants get, create and patch.
            lease.edit(
                    l -> {
                        l.getSpec().setHolderIdentity(null);
                        l.getSpec().setLeaseDurationSeconds(1);
                        return l;
                    });
            LOG.info("released the Lease {}/{}", election.leaseNamespace(), election.leaseName());
        } catch (KubernetesClientException e) {
            // A standby takes over when the lease expires: slower, not wrong.
            LOG.warn(
                    "could not release the Lease {}/{}: {}",
                    election.leaseNamespace(),
                    election.leaseName(),
                    e.getMessage());
        }
    }
}
