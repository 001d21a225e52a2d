package io.clustermesh.controller.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.support.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkHistoryStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void historySurvivesARealProcessRestart(@TempDir Path state) throws Exception {
        long t = T0.getEpochSecond();
        LinkHistory first = HealthJson.MAPPER.readValue(
                runProcess(
                        state,
                        "homelab,cloud,healthy,both directions ready," + t,
                        "homelab,cloud,degraded,cloud→homelab: timeout," + (t + 15),
                        "cloud,homelab,healthy,both directions ready," + (t + 30)),
                LinkHistory.class);
        assertThat(first.transitions()).hasSize(3);

        LinkHistory second = HealthJson.MAPPER.readValue(
                runProcess(state, "cloud,homelab,down,homelab did not answer," + (t + 600)), LinkHistory.class);
        assertThat(second.a()).isEqualTo("cloud");
        assertThat(second.b()).isEqualTo("homelab");
        assertThat(second.transitions())
                .extracting(LinkHistory.Transition::from)
                .containsExactly("unknown", "healthy", "degraded", "healthy");
        assertThat(second.transitions())
                .extracting(LinkHistory.Transition::to)
                .containsExactly("healthy", "degraded", "healthy", "down");
        assertThat(second.transitions().get(1).reason()).isEqualTo("cloud→homelab: timeout");
        assertThat(second.flapCount()).isEqualTo(2);
        assertThat(second.lastGoodAt()).isEqualTo(Instant.ofEpochSecond(t + 30));
        assertThat(second.status()).isEqualTo("down");
        assertThat(second.since()).isEqualTo(Instant.ofEpochSecond(t + 600));
        try (Stream<Path> files = Files.list(state)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(LinkHistoryStore.FILE_NAME);
        }
    }

    @Test
    void transitionsAreBoundedWhileTheFlapCountKeepsCounting(@TempDir Path state) {
        LinkHistoryStore store = new LinkHistoryStore(new StateFile(state.resolve(LinkHistoryStore.FILE_NAME)), 3, 10);
        for (int i = 0; i < 10; i++) {
            store.observe("a", "b", i % 2 == 0 ? "healthy" : "down", "round " + i, T0.plusSeconds(i));
        }
        LinkHistory history = store.find("b", "a").orElseThrow();
        assertThat(history.transitions())
                .extracting(LinkHistory.Transition::reason)
                .containsExactly("round 7", "round 8", "round 9");
        assertThat(history.flapCount()).isEqualTo(5);
        assertThat(store.observe("a", "b", "down", "still down", T0.plusSeconds(11)))
                .isFalse();
    }

    @Test
    void leastRecentlyChangedLinkIsDroppedBeyondTheLinkLimit(@TempDir Path state) {
        LinkHistoryStore store = new LinkHistoryStore(new StateFile(state.resolve(LinkHistoryStore.FILE_NAME)), 10, 2);
        store.observe("a", "b", "healthy", "r", T0);
        store.observe("a", "c", "healthy", "r", T0.plusSeconds(1));
        store.observe("b", "c", "healthy", "r", T0.plusSeconds(2));
        assertThat(store.all()).extracting(l -> l.a() + l.b()).containsExactly("ac", "bc");
    }

    @Test
    void unreadableStateFileIsSetAsideAndHistoryStartsEmpty(@TempDir Path state) throws Exception {
        Files.writeString(state.resolve(LinkHistoryStore.FILE_NAME), "{not json");
        LinkHistoryStore store = new LinkHistoryStore(new StateFile(state.resolve(LinkHistoryStore.FILE_NAME)), 10, 10);
        assertThat(store.all()).isEmpty();
        assertThat(state.resolve(LinkHistoryStore.FILE_NAME + ".corrupt")).exists();
        store.observe("a", "b", "healthy", "r", T0);
        assertThat(store.save()).isTrue();
        assertThat(new LinkHistoryStore(new StateFile(state.resolve(LinkHistoryStore.FILE_NAME)), 10, 10).all())
                .hasSize(1);
    }

    private static String runProcess(Path state, String... observations) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HistoryProcess.class.getName(),
                state.toString()));
        command.addAll(List.of(observations));
        ExternalCommand.Result result = ExternalCommand.run(command, null, Duration.ofSeconds(60));
        assertThat(result.exitCode()).as(result::stderr).isZero();
        return result.stdout();
    }
}
