package io.clustermesh.controller.health;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A process that opens the link history in a state directory, records the observations given
 * as {@code a,b,status,reason,epochSecond} arguments, saves, and prints the link's history as
 * JSON: one life of the service, for the restart test.
 */
public final class HistoryProcess {
    private HistoryProcess() {}

    public static void main(String[] args) throws Exception {
        LinkHistoryStore store =
                new LinkHistoryStore(new StateFile(Path.of(args[0]).resolve(LinkHistoryStore.FILE_NAME)), 100, 1024);
        String a = null;
        String b = null;
        for (int i = 1; i < args.length; i++) {
            String[] parts = args[i].split(",", 5);
            a = parts[0];
            b = parts[1];
            store.observe(a, b, parts[2], parts[3], Instant.ofEpochSecond(Long.parseLong(parts[4])));
        }
        if (!store.save()) {
            System.exit(4);
        }
        System.out.println(HealthJson.MAPPER.writeValueAsString(store.find(a, b).orElseThrow()));
    }
}
