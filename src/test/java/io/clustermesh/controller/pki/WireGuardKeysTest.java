package io.clustermesh.controller.pki;

import static io.clustermesh.controller.support.ExternalCommand.requireBinary;
import static io.clustermesh.controller.support.ExternalCommand.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.support.ExternalCommand.Result;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cross-checked against wireguard-tools, the reference implementation of the key formats. */
class WireGuardKeysTest {
    private static final String WG = "/usr/bin/wg";

    @Test
    void publicKeyOfAWgGenkeyPrivateKeyMatchesWgPubkey() {
        requireBinary(WG, "wireguard-tools");
        String privateKey = wg(List.of(WG, "genkey"), null);
        String expected = wg(List.of(WG, "pubkey"), privateKey + "\n");

        byte[] ours = WireGuardKeys.publicKeyOf(WireGuardKeys.decode(privateKey, "privateKey"));

        assertThat(WireGuardKeys.encode(ours)).isEqualTo(expected);
    }

    @Test
    void wgPubkeyOfOurPrivateKeyMatchesOurPublicKey() {
        requireBinary(WG, "wireguard-tools");
        WireGuardKeyPair pair = WireGuardKeys.generate();

        String theirs = wg(List.of(WG, "pubkey"), WireGuardKeys.encode(pair.privateKey()) + "\n");

        assertThat(theirs).isEqualTo(pair.publicKeyBase64());
    }

    @Test
    void generatedPrivateKeysAreClamped() {
        for (int i = 0; i < 20; i++) {
            byte[] key = WireGuardKeys.generatePrivateKey();
            assertThat(key[0] & 0x07).isZero();
            assertThat(key[31] & 0x80).isZero();
            assertThat(key[31] & 0x40).isEqualTo(0x40);
        }
    }

    @Test
    void publishedKeyIsAcceptedAndFingerprinted() {
        WireGuardKeyPair pair = WireGuardKeys.generate();

        byte[] key = WireGuardKeys.validatePublicKey(pair.publicKeyBase64(), "wgPubKey");

        assertThat(key).isEqualTo(pair.publicKey());
        assertThat(pair.publicKeyBase64()).hasSize(44);
        assertThat(WireGuardKeys.fingerprint(key)).matches("[0-9a-f]{16}").isEqualTo(pair.fingerprint());
    }

    @Test
    void fingerprintIsTheFirstEightBytesOfSha256() {
        // sha256 of 32 zero bytes = 66687aadf862bd77 6c8fc18b8e9f8e20 ...
        assertThat(WireGuardKeys.fingerprint(new byte[32])).isEqualTo("66687aadf862bd77");
    }

    @Test
    void validationRejectsAllZeroKey() {
        assertInvalid(Base64.getEncoder().encodeToString(new byte[32]));
    }

    @Test
    void validationRejectsA31ByteKey() {
        assertInvalid(Base64.getEncoder().encodeToString(new byte[31]));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not base64 at all but exactly 44 characters",
                "yAnz5TF-lXXJte14tji3zlMNq-hd2rYUIgJBgB3fBmk=",
                "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk",
                "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n",
                "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBml=",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            })
    void validationRejectsMalformedBase64(String published) {
        assertInvalid(published);
    }

    @Test
    void keyPairToStringHidesThePrivateKey() {
        WireGuardKeyPair pair = WireGuardKeys.generate();

        assertThat(pair.toString())
                .contains(pair.publicKeyBase64())
                .contains("<redacted>")
                .doesNotContain(WireGuardKeys.encode(pair.privateKey()));
    }

    private static void assertInvalid(String published) {
        assertThatThrownBy(() -> WireGuardKeys.validatePublicKey(published, "metadata.annotations.wgPubKey"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo("metadata.annotations.wgPubKey");
                });
    }

    private static String wg(List<String> command, String stdin) {
        Result result = run(command, stdin, Duration.ofSeconds(10));
        assertThat(result.exitCode())
                .as(String.join(" ", command) + ": " + result.stderr())
                .isZero();
        return result.stdoutTrimmed();
    }
}
