package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class WireguardNodeKeyTest {

    @Test
    void ciliumNodeFixturePublishesItsKeyInTheAnnotation() {
        JsonNode node = Fixtures.yamlDocuments("ciliumnode-homelab-node-1.yaml").get(0);
        ObjectMeta meta = Fixtures.JSON.convertValue(node.get("metadata"), ObjectMeta.class);

        assertThat(WireguardNodeKey.publicKeyOf(meta)).contains("KAWR/3qBr5j9b/5jyynuWhWudASEuBBlayaiB6F3qhA=");
        assertThat(WireguardNodeKey.isWellFormed(
                        WireguardNodeKey.publicKeyOf(meta).orElseThrow()))
                .isTrue();
    }

    @Test
    void legacyAnnotationIsReadWhenTheCurrentOneIsAbsent() {
        ObjectMeta meta = new ObjectMetaBuilder()
                .addToAnnotations("io.cilium.network.wg-pub-key", "B5moJ6dCjzPID9DkmeusSDeIqTEZNED7+rvvJPsd2WQ=")
                .build();

        assertThat(WireguardNodeKey.publicKeyOf(meta)).contains("B5moJ6dCjzPID9DkmeusSDeIqTEZNED7+rvvJPsd2WQ=");
    }

    @Test
    void nodeWithoutKeyHasNone() {
        assertThat(WireguardNodeKey.publicKeyOf(
                        new ObjectMetaBuilder().withName("n").build()))
                .isEmpty();
        assertThat(WireguardNodeKey.publicKeyOf(null)).isEmpty();
    }

    @Test
    void onlyBase64Of32BytesIsAKey() {
        assertThat(WireguardNodeKey.isWellFormed("KAWR/3qBr5j9b/5jyynuWhWudASEuBBlayaiB6F3qhA="))
                .isTrue();
        assertThat(WireguardNodeKey.isWellFormed("KAWR/3qBr5j9b/5jyynuWhWudASEuBBlayaiB6F3qh=="))
                .isFalse();
        assertThat(WireguardNodeKey.isWellFormed("not-a-key")).isFalse();
        assertThat(WireguardNodeKey.isWellFormed(null)).isFalse();
    }
}
