package io.clustermesh.controller.contexts;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A kubeconfig exec plugin that prints a bare token instead of ExecCredential JSON makes fabric8
 * warn "Error unmarshalling ExecCredential" with Jackson's message, which quotes the output, token
 * and all (issue 15). This filter sits on fabric8's kubeconfig loggers themselves, before any
 * handler, drops every record about exec credentials, and says instead, without the output, what
 * happened. The loggers are held here: a JUL logger nobody references may be collected and lose
 * its filter.
 */
@ApplicationScoped
public class ExecPluginOutputFilter implements Filter {
    /** Where fabric8 7 runs exec plugins and parses their output. */
    static final List<String> CATEGORIES =
            List.of("io.fabric8.kubernetes.client.internal.KubeConfigUtils", "io.fabric8.kubernetes.client.Config");

    private static final Logger LOG = Logger.getLogger(ExecPluginOutputFilter.class.getName());
    private static final List<Logger> HELD =
            CATEGORIES.stream().map(Logger::getLogger).toList();

    void install(@Observes StartupEvent event) {
        HELD.forEach(logger -> logger.setFilter(this));
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!aboutExecCredentials(record)) {
            return true;
        }
        LOG.log(
                Level.WARNING,
                "a kubeconfig exec plugin answered something that is not ExecCredential JSON; its output is withheld "
                        + "from the log because it may hold a credential. Run the plugin by hand to see what it prints.");
        return false;
    }

    static boolean aboutExecCredentials(LogRecord record) {
        if (mentionsExec(record.getMessage())) {
            return true;
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            if (mentionsExec(t.getMessage()) || mentionsExec(t.getClass().getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsExec(String text) {
        if (text == null) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("execcredential")
                || lower.contains("exec credential")
                || lower.contains("exec plugin")
                || lower.contains("exec command");
    }
}
