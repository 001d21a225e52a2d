package io.clustermesh.controller.bench;

import java.util.ArrayList;
import java.util.List;

/** Every process the harness started, so an interrupted run (Ctrl-C) still stops them all. */
final class Processes {
    private static final List<JavaProcess> RUNNING = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::stopAll, "bench-stop-processes"));
    }

    private Processes() {}

    static synchronized JavaProcess track(JavaProcess process) {
        RUNNING.add(process);
        return process;
    }

    static synchronized void untrack(JavaProcess process) {
        RUNNING.remove(process);
    }

    static void stopAll() {
        List<JavaProcess> all;
        synchronized (Processes.class) {
            all = new ArrayList<>(RUNNING);
        }
        all.forEach(JavaProcess::close);
    }
}
