package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterIdentityRulesTest {

    @ParameterizedTest(name = "{0} is accepted")
    @CsvSource({"homelab", "cloud", "a", "cloud-eu-1", "0", "abcdefghijklmnopqrstuvwxyz012345"})
    void validNamesAreAccepted(String name) {
        assertThatCode(() -> ClusterIdentityRules.validateName(name)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "''{0}'' is rejected: {1}")
    @CsvSource({
        "default, 'cannot join a mesh'",
        "Homelab, 'lower case'",
        "-cloud, 'lower case'",
        "cloud-, 'lower case'",
        "cloud.eu, 'lower case'",
        "abcdefghijklmnopqrstuvwxyz0123456, 'longer than 32'",
        "'', 'not set'"
    })
    void invalidNamesNameTheHelmValue(String name, String why) {
        ProblemException e =
                catchThrowableOfType(() -> ClusterIdentityRules.validateName(name), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.INVALID_CLUSTER_NAME);
        assertThat(e.field()).isEqualTo("clusterName");
        assertThat(e.getMessage()).contains(why).contains("cluster.name");
    }

    @ParameterizedTest(name = "id {0} with max {1} is rejected")
    @CsvSource({"0, 255", "256, 255", "512, 511", "-1, 255"})
    void idsOutsideTheRangeAreRejected(int id, int max) {
        ProblemException e =
                catchThrowableOfType(() -> ClusterIdentityRules.validateId(id, max), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.INVALID_CLUSTER_ID);
        assertThat(e.field()).isEqualTo("clusterId");
        assertThat(e.getMessage()).contains("cluster.id");
    }

    @ParameterizedTest(name = "id {0} with max {1} is accepted")
    @CsvSource({"1, 255", "255, 255", "256, 511", "511, 511"})
    void idsInsideTheRangeAreAccepted(int id, int max) {
        assertThatCode(() -> ClusterIdentityRules.validateId(id, max)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "max-connected-clusters {0} is rejected")
    @CsvSource({"0", "256", "1023"})
    void onlyTwoMaxConnectedClustersValuesExist(int max) {
        ProblemException e = catchThrowableOfType(
                () -> ClusterIdentityRules.validateMaxConnectedClusters(max), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.INVALID_INPUT);
        assertThat(e.field()).isEqualTo("maxConnectedClusters");
        assertThat(e.getMessage()).contains("clustermesh.maxConnectedClusters");
    }

    @Test
    void nonNumericIdIsAnInvalidId() {
        CiliumConfig c = CiliumConfig.fromData(Map.of("cluster-name", "homelab", "cluster-id", "one"));

        ProblemException e = catchThrowableOfType(() -> ClusterIdentityRules.validate(c), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.INVALID_CLUSTER_ID);
        assertThat(e.getMessage()).contains("'one'");
    }

    @Test
    void fixtureClustersAreValid() {
        assertThatCode(() -> ClusterIdentityRules.validate(Fixtures.ciliumConfig("cilium-config-homelab.yaml")))
                .doesNotThrowAnyException();
        assertThatCode(() -> ClusterIdentityRules.validate(Fixtures.ciliumConfig("cilium-config-cloud.yaml")))
                .doesNotThrowAnyException();
    }
}
