package io.clustermesh.controller.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateDirectoryTest {

    @Test
    void aConfiguredDirectoryIsUsedAsItIsAndKeptOnStop() throws Exception {
        Path configured = Files.createTempDirectory("configured-state-");
        Files.writeString(configured.resolve("audit.jsonl"), "{}\n");

        StateDirectory state = new StateDirectory(Optional.of(configured.toString()), true);
        state.removePerRunState(null);

        assertThat(state.path()).isEqualTo(configured);
        assertThat(configured.resolve("audit.jsonl")).exists();
        new TemporaryDirectory(configured).delete();
    }

    @Test
    void theDemoGetsAFreshDirectoryPerRunRemovedOnACleanStop() throws Exception {
        StateDirectory first = new StateDirectory(Optional.empty(), true);
        StateDirectory second = new StateDirectory(Optional.empty(), true);
        Files.writeString(first.path().resolve("link-history.json"), "{}");

        assertThat(first.path()).isNotEqualTo(second.path()).isDirectory();
        assertThat(second.path()).isEmptyDirectory();
        first.removePerRunState(null);
        second.removePerRunState(null);
        assertThat(first.path()).doesNotExist();
        assertThat(second.path()).doesNotExist();
    }

    @Test
    void withoutTheDemoTheDefaultIsTheUsersStateDirectory() {
        StateDirectory state = new StateDirectory(Optional.empty(), false);

        assertThat(state.path())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local", "state", "clustermesh-controller"));
    }
}
